import { Entity, PrimaryKey, Property } from '@mikro-orm/core';
import { EventTypes, type AccountType, type ClientCreatedData, type ClientStatus } from '@clientele/contracts';
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
}
