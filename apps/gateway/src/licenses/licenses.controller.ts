import { Body, Controller, Delete, Get, Headers, HttpCode, Param, Patch, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiConsumes, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import {
  AccountsRpc,
  AssignLicenseRequest,
  ListLicensesRequest,
  UpdateLicenseRequest,
  type Caller,
  type LicenseResponse,
  type Page,
} from '@clientele/contracts';
import { ApiIdempotencyKey, IdempotencyKey } from '../http/idempotency-key';
import { CurrentCaller } from '../auth/auth.guard';
import { Bus } from '../bus/accounts.bus';
import { etagOf, expectedVersion } from '../http/etag';

@ApiTags('licences')
@ApiBearerAuth()
@Controller('v1/clients/:clientId/licenses')
export class LicensesController {
  constructor(private readonly bus: Bus) {}

  @Get()
  @ApiOperation({ summary: "A client's licences (its parent and the accounts above may read them)" })
  list(@Param('clientId') clientId: string, @Query() filter: ListLicensesRequest, @CurrentCaller() caller: Caller) {
    return this.bus.request<Page<LicenseResponse>>(AccountsRpc.listLicenses, { ...filter, clientId }, caller);
  }

  @Post()
  @HttpCode(201)
  @ApiOperation({ summary: 'Assign a plan of your catalogue: units and start date' })
  @ApiIdempotencyKey()
  async assign(
    @Param('clientId') clientId: string,
    @Body() terms: AssignLicenseRequest,
    @CurrentCaller() caller: Caller, @IdempotencyKey() idempotencyKey: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const license = await this.bus.request<LicenseResponse>(AccountsRpc.assignLicense, { ...terms, clientId }, caller, { idempotencyKey });
    void reply.header('Location', `/v1/clients/${clientId}/licenses/${license.id}`).header('ETag', etagOf(license));
    return license;
  }

  @Patch(':licenseId')
  @ApiConsumes('application/merge-patch+json', 'application/json')
  @ApiOperation({ summary: 'Change the units or start date of a licence' })
  async update(
    @Param('clientId') clientId: string,
    @Param('licenseId') licenseId: string,
    @Body() patch: UpdateLicenseRequest,
    @Headers('if-match') ifMatch: string | undefined,
    @CurrentCaller() caller: Caller,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const payload = { clientId, licenseId, patch, expectedVersion: expectedVersion(ifMatch, licenseId) };
    const license = await this.bus.request<LicenseResponse>(AccountsRpc.updateLicense, payload, caller);
    void reply.header('ETag', etagOf(license));
    return license;
  }

  @Delete(':licenseId')
  @HttpCode(204)
  @ApiOperation({ summary: 'End a licence' })
  async end(@Param('clientId') clientId: string, @Param('licenseId') licenseId: string, @CurrentCaller() caller: Caller): Promise<void> {
    await this.bus.request(AccountsRpc.endLicense, { clientId, licenseId }, caller);
  }
}
