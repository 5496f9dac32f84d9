import { Entity, Property } from '@mikro-orm/core';
import {
  EventTypes,
  type LicenseAssignedData,
  type LicenseChangedData,
  type LicenseEndedData,
} from '@clientele/contracts';
import type { FieldChanges } from './aggregate';
import { newId } from './ids';
import { VersionedAggregate } from './versioned-aggregate';
import { newEntity } from './new-entity';

/** A change of a licence's terms; absent fields stay. */
export interface LicenseChange {
  units?: number;
  startDate?: string;
}

/** A plan assigned to a client: units and a start date (seed 002). */
@Entity({ tableName: 'license' })
export class License extends VersionedAggregate {
  @Property({ type: 'uuid' })
  accountId!: string;

  @Property({ type: 'uuid' })
  planId!: string;

  @Property({ type: 'integer' })
  units!: number;

  @Property({ type: 'date' })
  startDate!: string;

  @Property({ type: 'text' })
  status!: 'active' | 'ended';

  @Property({ type: 'timestamptz', nullable: true })
  endedAt!: Date | null;

  static assign(clientId: string, terms: { planId: string; units: number; startDate: string }, now: Date): License {
    const license = newEntity(License, {
      id: newId(), accountId: clientId, planId: terms.planId, units: terms.units, startDate: terms.startDate, status: 'active', endedAt: null,
      createdAt: now, updatedAt: now, version: 1,
    });
    const data: LicenseAssignedData = { licenseId: license.id, clientId, planId: terms.planId, units: terms.units, startDate: terms.startDate };
    license.raise({ type: EventTypes.licenseAssigned, subject: license.id, data });
    return license;
  }

  /** New units or start date; returns whether anything changed. */
  change(patch: LicenseChange, now: Date): boolean {
    const changes: LicenseChangedData['changes'] = {};
    const audited: FieldChanges = {};
    if (patch.units !== undefined && patch.units !== this.units) {
      audited.units = { from: this.units, to: patch.units };
      changes.units = this.units = patch.units;
    }
    if (patch.startDate !== undefined && patch.startDate !== this.startDate) {
      audited.startDate = { from: this.startDate, to: patch.startDate };
      changes.startDate = this.startDate = patch.startDate;
    }
    if (!Object.keys(changes).length) return false;
    this.updatedAt = now;
    const data: LicenseChangedData = { licenseId: this.id, clientId: this.accountId, planId: this.planId, changes, version: this.version + 1 };
    this.raise({ type: EventTypes.licenseChanged, subject: this.id, data, audit: { changes: audited } });
    return true;
  }

  end(now: Date): void {
    if (this.status === 'ended') return;
    this.status = 'ended';
    this.endedAt = now;
    this.updatedAt = now;
    const data: LicenseEndedData = { licenseId: this.id, clientId: this.accountId, planId: this.planId, endedAt: now.toISOString() };
    this.raise({ type: EventTypes.licenseEnded, subject: this.id, data });
  }
}
