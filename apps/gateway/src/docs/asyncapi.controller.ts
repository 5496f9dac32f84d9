import { Controller, Get, Header } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { EVENTS_STREAM } from '@clientele/contracts';
import { Public } from '../auth/auth.guard';
import { GatewayConfig } from '../config';
import { buildAsyncApiDocument, projectVersion } from './asyncapi';

/**
 * `GET /docs/asyncapi.json`: the events subscribers may read, beside the
 * OpenAPI document of /docs. Built on the first call and kept: it changes
 * only with a release or the settings.
 */
@ApiExcludeController()
@Public()
@Controller('docs')
export class AsyncApiController {
  private document?: string;

  constructor(private readonly config: GatewayConfig) {}

  @Get('asyncapi.json')
  @Header('Content-Type', 'application/json; charset=utf-8')
  @Header('Cache-Control', 'public, max-age=300')
  asyncApi(): string {
    this.document ??= JSON.stringify(
      buildAsyncApiDocument({
        version: projectVersion(),
        natsServers: this.config.natsServers,
        subjectPrefix: this.config.subjectPrefix,
        stream: this.config.streamName(EVENTS_STREAM),
      }),
    );
    return this.document;
  }
}
