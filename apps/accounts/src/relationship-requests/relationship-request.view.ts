import type { RelationshipRequestResponse } from '@clientele/contracts';
import type { RelationshipRequest } from '../domain/relationship-request.entity';

export function relationshipRequestView(request: RelationshipRequest, now = new Date()): RelationshipRequestResponse {
  return {
    id: request.id,
    email: request.email,
    message: request.message,
    status: request.statusAt(now),
    expiresAt: request.expiresAt.toISOString(),
    sentAt: request.sentAt?.toISOString() ?? null,
    decidedAt: request.decidedAt?.toISOString() ?? null,
    createdAt: request.createdAt.toISOString(),
  };
}
