import { Entity, PrimaryKey, Property } from '@mikro-orm/core';
import {
  EventTypes,
  type AccountType,
  type ClientCreatedData,
  type ClientStatus,
  type ClientStatusChangedData,
  type ClientUpdatedData,
  type UpdateClientRequest,
} from '@clientele/contracts';
import { TypeChangeNotAllowedError } from './domain-error';
import { canonicalLanguage, normalizeDecimal, withoutNulls } from './values';
import { Aggregate } from './aggregate';

export interface Address {
  country: string;
  region: string;
  city: string;
  line1: string | null;
  line2: string | null;
  postalCode: string | null;
}

export interface AccountSettings {
  taxExempt: boolean;
  lateFeesExempt: boolean;
  overdueNotices: boolean;
  separateInvoices: boolean;
  disableCardProcessing: boolean;
  marketingOptOut: boolean;
  autoStatusUpdate: boolean;
  allowSingleSignOn: boolean;
  paymentMethod: string | null;
  billingContact: string | null;
  clientGroup: string | null;
}

export const DEFAULT_SETTINGS: AccountSettings = {
  taxExempt: false,
  lateFeesExempt: false,
  overdueNotices: true,
  separateInvoices: false,
  disableCardProcessing: false,
  marketingOptOut: false,
  autoStatusUpdate: true,
  allowSingleSignOn: false,
  paymentMethod: null,
  billingContact: null,
  clientGroup: null,
};

/** A company: a partner at the top of a channel, or a client of one or more parents. */
@Entity({ tableName: 'account' })
export class Account extends Aggregate {
  @PrimaryKey({ type: 'uuid' })
  id!: string;

  @Property({ type: 'text' })
  type!: AccountType;

  @Property({ type: 'text' })
  accountName!: string;

  @Property({ type: 'text' })
  companyName!: string;

  @Property({ type: 'text', nullable: true })
  uniqueIdentifier!: string | null;

  @Property({ type: 'json' })
  billingEmails!: string[];

  @Property({ type: 'text' })
  status!: ClientStatus;

  @Property({ type: 'json' })
  address!: Address;

  @Property({ type: 'text', nullable: true })
  phone!: string | null;

  @Property({ type: 'text' })
  language!: string;

  @Property({ type: 'text' })
  currency!: string;

  @Property({ type: 'text', nullable: true })
  emergencyContactEmail!: string | null;

  @Property({ type: 'json' })
  settings!: AccountSettings;

  /** Exact decimal, carried as a string end to end. */
  @Property({ type: 'decimal', precision: 15, scale: 2 })
  creditBalance!: string;

  @Property({ type: 'text', nullable: true })
  adminNotes!: string | null;

  @Property({ type: 'boolean' })
  isPartner!: boolean;

  @Property({ type: 'timestamptz' })
  createdAt!: Date;

  @Property({ type: 'timestamptz' })
  updatedAt!: Date;

  @Property({ type: 'integer', version: true })
  version!: number;

  /** Only groups, distributors and resellers may have clients (seeds 000, 004). */
  static mayHaveClients(type: AccountType): boolean {
    return type !== 'customer';
  }

  recordCreated(data: ClientCreatedData): void {
    this.raise({ type: EventTypes.clientCreated, subject: this.id, data });
  }

  /**
   * Applies a JSON merge patch: absent fields stay, null clears what may be
   * empty (or puts a setting back to its default). Raises `client.updated`
   * with what changed and `client.activated`/`deactivated` when the switch
   * moved. Returns the names of the changed fields.
   */
  applyPatch(patch: UpdateClientRequest, context: { now: Date; hasActiveClients: boolean }): string[] {
    const changes: Record<string, unknown> = {};
    const set = <K extends keyof this>(field: K, value: this[K]) => {
      if (JSON.stringify(this[field]) === JSON.stringify(value)) return;
      this[field] = value;
      changes[field as string] = value;
    };
    if (patch.accountName !== undefined) set('accountName', patch.accountName.trim());
    if (patch.companyName !== undefined) set('companyName', patch.companyName.trim());
    if (patch.uniqueIdentifier !== undefined) set('uniqueIdentifier', patch.uniqueIdentifier?.trim() || null);
    if (patch.billingEmails !== undefined) set('billingEmails', patch.billingEmails ?? []);
    if (patch.address !== undefined) {
      const next = { ...this.address, ...patch.address };
      set('address', {
        country: next.country.toUpperCase(),
        region: next.region,
        city: next.city,
        line1: next.line1 ?? null,
        line2: next.line2 ?? null,
        postalCode: next.postalCode ?? null,
      });
    }
    if (patch.phone !== undefined) set('phone', patch.phone ?? null);
    if (patch.language !== undefined) set('language', canonicalLanguage(patch.language));
    if (patch.emergencyContactEmail !== undefined) set('emergencyContactEmail', patch.emergencyContactEmail ?? null);
    if (patch.currency !== undefined) set('currency', patch.currency.toUpperCase());
    if (patch.settings !== undefined) {
      const cleared = Object.keys(patch.settings).filter((k) => patch.settings![k as keyof typeof patch.settings] === null);
      const defaults = Object.fromEntries(cleared.map((k) => [k, DEFAULT_SETTINGS[k as keyof AccountSettings]]));
      set('settings', { ...this.settings, ...withoutNulls(patch.settings), ...defaults } as AccountSettings);
    }
    if (patch.creditBalance !== undefined) set('creditBalance', normalizeDecimal(patch.creditBalance));
    if (patch.adminNotes !== undefined) set('adminNotes', patch.adminNotes ?? null);
    if (patch.type !== undefined && patch.type !== this.type) {
      if (!Account.mayHaveClients(patch.type) && (this.isPartner || context.hasActiveClients)) {
        throw new TypeChangeNotAllowedError(
          this.isPartner
            ? 'A partner at the top of a channel must stay a group, distributor or reseller.'
            : 'An account with clients cannot become a customer; end its relationships first.',
        );
      }
      set('type', patch.type);
    }
    const statusBefore = this.status;
    if (patch.active !== undefined) this.status = patch.active ? 'active' : 'inactive';

    const changedFields = Object.keys(changes);
    const statusChanged = this.status !== statusBefore;
    if (!changedFields.length && !statusChanged) return [];
    this.updatedAt = context.now;
    const version = this.version + 1;
    if (changedFields.length) {
      const { adminNotes: _hidden, ...visible } = changes;
      const data: ClientUpdatedData = { clientId: this.id, changedFields, changes: visible, version };
      this.raise({ type: EventTypes.clientUpdated, subject: this.id, data });
    }
    if (statusChanged) {
      const data: ClientStatusChangedData = { clientId: this.id, status: this.status, version };
      this.raise({ type: this.status === 'active' ? EventTypes.clientActivated : EventTypes.clientDeactivated, subject: this.id, data });
    }
    return statusChanged ? [...changedFields, 'status'] : changedFields;
  }
}
