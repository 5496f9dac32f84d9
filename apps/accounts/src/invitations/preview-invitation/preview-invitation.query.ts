import { Query } from '@nestjs/cqrs';
import type { InvitationPreview } from '@clientele/contracts';

export class PreviewInvitationQuery extends Query<InvitationPreview> {
  constructor(readonly token: string) {
    super();
  }
}
