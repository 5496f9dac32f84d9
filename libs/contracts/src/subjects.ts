/**
 * NATS request/reply subjects. Services subscribe to them in a queue group
 * named after the service, so replicas share the load. A deployment may put a
 * prefix in front of every subject (tests use one per run).
 */
export const AccountsRpc = {
  createPartner: 'accounts.rpc.partners.create',
  listPartners: 'accounts.rpc.partners.list',
  createClient: 'accounts.rpc.clients.create',
  getClient: 'accounts.rpc.clients.get',
  listClients: 'accounts.rpc.clients.list',
  /** A page of clients with every column of the CSV export (`ExportClientsRequest`). */
  exportClients: 'accounts.rpc.clients.export',
  updateClient: 'accounts.rpc.clients.update',
  activateClient: 'accounts.rpc.clients.activate',
  deactivateClient: 'accounts.rpc.clients.deactivate',
  endRelationship: 'accounts.rpc.clients.end-relationship',
  listServicePlans: 'accounts.rpc.service-plans.list',
  createServicePlan: 'accounts.rpc.service-plans.create',
  getServicePlan: 'accounts.rpc.service-plans.get',
  updateServicePlan: 'accounts.rpc.service-plans.update',
  listLicenses: 'accounts.rpc.licenses.list',
  assignLicense: 'accounts.rpc.licenses.assign',
  updateLicense: 'accounts.rpc.licenses.update',
  endLicense: 'accounts.rpc.licenses.end',
  previewInvitation: 'accounts.rpc.invitations.preview',
  acceptInvitation: 'accounts.rpc.invitations.accept',
  resendInvitation: 'accounts.rpc.invitations.resend',
  revokeInvitation: 'accounts.rpc.invitations.revoke',
  /** Only notifications may call these two (issue: least-privilege NATS users). */
  /** A batch of links (`MintInvitationLinksPayload`). */
  mintInvitationLink: 'accounts.rpc.invitations.mint-link',
  expireInvitations: 'accounts.rpc.invitations.expire',
  mintPasswordLink: 'accounts.rpc.passwords.mint-link',
  createRelationshipRequest: 'accounts.rpc.relationship-requests.create',
  listRelationshipRequests: 'accounts.rpc.relationship-requests.list',
  acceptRelationshipRequest: 'accounts.rpc.relationship-requests.accept',
  declineRelationshipRequest: 'accounts.rpc.relationship-requests.decline',
  cancelRelationshipRequest: 'accounts.rpc.relationship-requests.cancel',
  mintRelationshipRequestLink: 'accounts.rpc.relationship-requests.mint-link',
  resetPassword: 'accounts.rpc.passwords.reset',
  getOwnAccount: 'accounts.rpc.account.get',
  updateOwnAccount: 'accounts.rpc.account.update',
  getClientForm: 'accounts.rpc.account.client-form.get',
  updateClientForm: 'accounts.rpc.account.client-form.update',
  signIn: 'accounts.rpc.auth.sign-in',
  createApiKey: 'accounts.rpc.api-keys.create',
  listApiKeys: 'accounts.rpc.api-keys.list',
  revokeApiKey: 'accounts.rpc.api-keys.revoke',
  authenticateApiKey: 'accounts.rpc.api-keys.authenticate',
  listAuditEvents: 'accounts.rpc.audit-events.list',
  createClientImport: 'accounts.rpc.client-imports.create',
  /** A part of an import file too large for one message, staged until `createClientImport` names it. */
  stageClientImportPart: 'accounts.rpc.client-imports.stage-part',
  listClientImports: 'accounts.rpc.client-imports.list',
  getClientImport: 'accounts.rpc.client-imports.get',
  listClientImportRows: 'accounts.rpc.client-imports.rows',
} as const;
export type AccountsRpcSubject = (typeof AccountsRpc)[keyof typeof AccountsRpc];

export const NotificationsRpc = {
  listEmails: 'notifications.rpc.emails.list',
  requestPasswordReset: 'notifications.rpc.passwords.request-reset',
} as const;

/** Gateway replicas share their rate-limit counts under this subject (`.counts`, `.snapshot`), each replica reading all. */
export const GatewayLimitsSubject = 'gateway.limits';

/** Queue groups: one per service, shared by all of its replicas. */
export const QueueGroups = {
  accounts: 'accounts',
  notifications: 'notifications',
} as const;

/** NATS headers the services exchange. */
export const Headers = {
  requestId: 'X-Request-Id',
  caller: 'X-Caller',
  idempotencyKey: 'Idempotency-Key',
  /** Where a change came from, for the audit trail: the client's address as the gateway saw it, and its user agent. */
  clientIp: 'X-Client-Ip',
  clientUserAgent: 'X-Client-User-Agent',
} as const;
