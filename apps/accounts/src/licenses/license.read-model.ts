import { Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import type { LicenseResponse, Page } from '@clientele/contracts';
import { decodeCursor, keysetPage } from '../shared/cursor';
import { isoUtc } from '../shared/sql-time';

interface Row {
  sort_key: string;
  id: string;
  account_id: string;
  plan_id: string;
  plan_name: string;
  plan_product: string;
  plan_unit_type: string;
  units: number;
  start_date: string;
  status: 'active' | 'ended';
  created_at: string;
  updated_at: string;
  version: number;
}

const SELECT = `select l.created_at::text as sort_key, l.id, l.account_id, l.plan_id, p.name as plan_name, p.product as plan_product,
    p.unit_type as plan_unit_type, l.units, to_char(l.start_date, 'YYYY-MM-DD') as start_date, l.status,
    l.created_at, l.updated_at, l.version
  from accounts.license l join accounts.service_plan p on p.id = l.plan_id`;

/** Licences with their plan, straight from SQL. */
@Injectable()
export class LicenseReadModel {
  constructor(private readonly em: EntityManager) {}

  async findOne(licenseId: string): Promise<LicenseResponse | null> {
    const [row] = await this.em.execute<Row[]>(`${SELECT} where l.id = ?`, [licenseId]);
    return row ? toResponse(row) : null;
  }

  async list(clientId: string, options: { status: 'active' | 'ended'; limit: number; cursor?: string }): Promise<Page<LicenseResponse>> {
    const params: unknown[] = [clientId, options.status];
    let after = '';
    if (options.cursor) {
      const cursor = decodeCursor(options.cursor, 'createdAt');
      after = 'and (l.created_at, l.id) > (?::timestamptz, ?::uuid)';
      params.push(cursor.value, cursor.id);
    }
    const rows = await this.em.execute<Row[]>(
      `${SELECT} where l.account_id = ? and l.status = ? ${after} order by l.created_at, l.id limit ${options.limit + 1}`,
      params,
    );
    return keysetPage(rows, options.limit, 'createdAt', (row) => row.id, toResponse);
  }
}

function toResponse(row: Row): LicenseResponse {
  return {
    id: row.id,
    clientId: row.account_id,
    planId: row.plan_id,
    plan: { name: row.plan_name, product: row.plan_product, unitType: row.plan_unit_type },
    units: row.units,
    startDate: row.start_date,
    status: row.status,
    createdAt: isoUtc(row.created_at),
    updatedAt: isoUtc(row.updated_at),
    version: row.version,
  };
}
