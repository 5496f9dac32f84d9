import { Entity, Property } from '@mikro-orm/core';
import {
  CLIENT_SETTINGS_DEFAULTS,
  EventTypes,
  clientFormInOrder,
  type ClientFormUpdatedData,
  type ClientSettings,
  type AccountType,
  type ClientCreatedData,
  type ClientStatus,
  type ClientStatusChangedData,
  type ClientUpdatedData,
  type InvitationSendMode,
} from '@clientele/contracts';
import { emptyClientForm, missingFrom, type ClientForm } from './client-form';
import { ForbiddenError, RequiredByAccountSettingsError, TypeChangeNotAllowedError } from './domain-error';
import { canonicalLanguage, normalizeDecimal, withoutNulls } from './values';
import type { FieldChanges } from './aggregate';
import { newId } from './ids';
import { Invitation } from './invitation.entity';
import { License } from './license.entity';
import { Relationship } from './relationship.entity';
import { User } from './user.entity';
import { VersionedAggregate } from './versioned-aggregate';
import { newEntity } from './new-entity';

export interface Address {
  country: string;
  region: string;
  city: string;
  line1: string | null;
  line2: string | null;
  postalCode: string | null;
}

/** The billing switches: the one list in contracts, shared by requests, answers and the stored account. */
export type AccountSettings = ClientSettings;

/** What an account is opened with, in the domain's terms (the application maps requests to it). */
export interface OpenAccountProps {
  /**
   * The account it opens under, with the client form the new account must
   * satisfy (none: nothing required, no defaults); null for a partner at the
   * top of a channel.
   */
  parent: { id: string; type: AccountType; clientForm?: ClientForm } | null;
  type: AccountType;
  accountName: string;
  companyName: string;
  uniqueIdentifier: string | null;
  billingEmails: string[];
  active: boolean;
  address: { country: string; region: string; city: string; line1: string | null; line2: string | null; postalCode: string | null };
  phone: string | null;
  /** Null: English. */
  language: string | null;
  /** Null: US dollars. */
  currency: string | null;
  emergencyContactEmail: string | null;
  /** Switches left out (or null) take their defaults. */
  settings: { [K in keyof AccountSettings]?: AccountSettings[K] | null };
  /** Null: zero. */
  creditBalance: string | null;
  adminNotes: string | null;
  /** With a password hash the owner is active at once; without, invited. */
  owner: { email: string; firstName: string; lastName: string; passwordHash: string | null };
  invitation: { send: InvitationSendMode; sendAt: Date | null };
  servicePlans: { planId: string; units: number; startDate: string }[];
  now: Date;
}

/** A JSON merge patch of an account: absent fields stay, null clears what may be empty or restores a default. */
export interface AccountPatch {
  type?: AccountType;
  accountName?: string;
  companyName?: string;
  uniqueIdentifier?: string | null;
  billingEmails?: string[] | null;
  active?: boolean;
  address?: Partial<Address>;
  phone?: string | null;
  language?: string;
  currency?: string;
  emergencyContactEmail?: string | null;
  settings?: { [K in keyof AccountSettings]?: AccountSettings[K] | null };
  creditBalance?: string;
  adminNotes?: string | null;
}

/** A new account with everything opened with it; every row is new. */
export interface OpenedAccount {
  account: Account;
  relationship: Relationship | null;
  owner: User;
  invitation: Invitation | null;
  licenses: License[];
}

/** A company: a partner at the top of a channel, or a client of one or more parents. */
@Entity({ tableName: 'account' })
export class Account extends VersionedAggregate {
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

  /** What this account asks of the clients it opens and changes (seed 003); empty for most. */
  @Property({ type: 'json' })
  clientForm!: ClientForm;

  /** Only groups, distributors and resellers may have clients (seeds 000, 004). */
  static mayHaveClients(type: AccountType): boolean {
    return type !== 'customer';
  }

  /** The parent rule of opening an account (also asked before the costly steps of an opening). */
  static assertMayOpenUnder(parent: OpenAccountProps['parent']): void {
    if (parent && !Account.mayHaveClients(parent.type)) throw new ForbiddenError('Accounts of type customer cannot have clients.');
  }

  /**
   * Every rule of opening an account that needs no database (also asked
   * before the costly steps of an opening): the parent rule, then the
   * parent's client form, whose defaults are filled in first.
   */
  static assertMayOpen(props: OpenAccountProps): void {
    Account.assertMayOpenUnder(props.parent);
    const required = props.parent?.clientForm?.required ?? [];
    const missing = required.length ? missingFrom(required, Account.withFormDefaults(props)) : [];
    if (missing.length) throw new RequiredByAccountSettingsError(missing);
  }

  /** The props with the parent's defaults in the fields left out (a null setting is one left out); given values win. */
  private static withFormDefaults(props: OpenAccountProps): OpenAccountProps {
    const defaults = props.parent?.clientForm?.defaults;
    if (!defaults) return props;
    return {
      ...props,
      language: props.language ?? defaults.language ?? null,
      currency: props.currency ?? defaults.currency ?? null,
      settings: { ...defaults.settings, ...withoutNulls(props.settings) },
    };
  }

  /**
   * Opens a company's account with its owner (always an admin), under a
   * parent that may have clients or at the top of a channel, with its
   * invitation and licences, and raises `client.created`.
   */
  static open(input: OpenAccountProps): OpenedAccount {
    Account.assertMayOpen(input);
    const props = Account.withFormDefaults(input);
    const { now, parent } = props;
    const account = newEntity(Account, {
      id: newId(),
      type: props.type,
      accountName: props.accountName.trim(),
      companyName: props.companyName.trim(),
      uniqueIdentifier: props.uniqueIdentifier?.trim() || null,
      billingEmails: props.billingEmails,
      status: props.active ? 'active' : 'inactive',
      address: { ...props.address, country: props.address.country.toUpperCase() },
      phone: props.phone,
      language: props.language ? canonicalLanguage(props.language) : 'en',
      currency: (props.currency ?? 'USD').toUpperCase(),
      emergencyContactEmail: props.emergencyContactEmail,
      settings: { ...CLIENT_SETTINGS_DEFAULTS, ...(withoutNulls(props.settings) as Partial<AccountSettings>) },
      creditBalance: normalizeDecimal(props.creditBalance ?? '0'),
      adminNotes: props.adminNotes,
      isPartner: parent === null,
      clientForm: emptyClientForm(),
      createdAt: now,
      updatedAt: now,
      version: 1,
    });

    const owner = User.openOwner(account.id, props.owner, now);
    const { send, sendAt } = props.invitation;
    const invitation = owner.passwordHash || send === 'none' ? null : Invitation.schedule(owner, send, send === 'scheduled' && sendAt ? sendAt : now, now);
    const licenses = props.servicePlans.map((plan) => License.assign(account.id, plan, now));

    const data: ClientCreatedData = {
      clientId: account.id,
      parentId: parent?.id ?? null,
      type: account.type,
      accountName: account.accountName,
      companyName: account.companyName,
      status: account.status,
      language: account.language,
      owner: { userId: owner.id, email: owner.email, firstName: owner.firstName, lastName: owner.lastName, status: owner.status as 'invited' | 'active' },
      invitation: invitation ? { invitationId: invitation.id, send: invitation.sendMode as 'now' | 'scheduled', sendAt: invitation.sendAt!.toISOString() } : null,
    };
    account.raise({ type: EventTypes.clientCreated, subject: account.id, data });

    return { account, relationship: parent ? Relationship.between(parent.id, account, now, owner.status) : null, owner, invitation, licenses };
  }

  /**
   * Replaces the client form this account's clients are opened and changed
   * under, in one shape (language and currency as a client's are written).
   * Only an account that may have clients has one. Raises
   * `client-form.updated`; a form equal to the current one changes nothing.
   */
  changeClientForm(form: ClientForm, now: Date): boolean {
    if (!Account.mayHaveClients(this.type)) throw new ForbiddenError('Accounts of type customer have no clients, so no client form.');
    const { language, currency, settings } = form.defaults;
    const next = clientFormInOrder({
      required: form.required,
      defaults: { language: language && canonicalLanguage(language), currency: currency?.toUpperCase(), settings },
    });
    const previous = clientFormInOrder(this.clientForm);
    if (JSON.stringify(next) === JSON.stringify(previous)) return false;
    this.clientForm = next;
    this.updatedAt = now;
    const data: ClientFormUpdatedData = { accountId: this.id, required: next.required, defaults: next.defaults, version: this.version + 1 };
    const changes = { required: { from: previous.required, to: next.required }, defaults: { from: previous.defaults, to: next.defaults } };
    this.raise({ type: EventTypes.clientFormUpdated, subject: this.id, data, audit: { changes } });
    return true;
  }

  /**
   * Applies a JSON merge patch: absent fields stay, null clears what may be
   * empty (or puts a setting back to its default). Raises `client.updated`
   * with what changed and `client.activated`/`deactivated` when the switch
   * moved. Returns the names of the changed fields.
   */
  applyPatch(patch: AccountPatch, context: { now: Date; hasActiveClients: boolean }): string[] {
    const changes: Record<string, unknown> = {};
    // For the audit trail: what each field was, too (admin notes included: only parents read them there).
    const audited: FieldChanges = {};
    const set = <K extends keyof this>(field: K, value: this[K]) => {
      if (JSON.stringify(this[field]) === JSON.stringify(value)) return;
      audited[field as string] = { from: this[field], to: value };
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
      const defaults = Object.fromEntries(cleared.map((k) => [k, CLIENT_SETTINGS_DEFAULTS[k as keyof AccountSettings]]));
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
      this.raise({ type: EventTypes.clientUpdated, subject: this.id, data, audit: { name: this.accountName, changes: audited } });
    }
    if (statusChanged) {
      const data: ClientStatusChangedData = { clientId: this.id, status: this.status, version };
      const audit = { name: this.accountName, changes: { status: { from: statusBefore, to: this.status } } };
      this.raise({ type: this.status === 'active' ? EventTypes.clientActivated : EventTypes.clientDeactivated, subject: this.id, data, audit });
    }
    return statusChanged ? [...changedFields, 'status'] : changedFields;
  }
}
