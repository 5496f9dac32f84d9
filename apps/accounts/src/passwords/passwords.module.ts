import { Module } from '@nestjs/common';
import { OutboxModule } from '../outbox/outbox.module';
import { MintPasswordLinkHandler } from './mint-password-link/mint-password-link.handler';
import { PasswordsController } from './passwords.controller';
import { ResetPasswordHandler } from './reset-password/reset-password.handler';

const commandHandlers = [MintPasswordLinkHandler, ResetPasswordHandler];

@Module({ imports: [OutboxModule], controllers: [PasswordsController], providers: [...commandHandlers] })
export class PasswordsModule {}
