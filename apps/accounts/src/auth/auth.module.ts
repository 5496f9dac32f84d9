import { Module } from '@nestjs/common';
import { OutboxModule } from '../outbox/outbox.module';
import { AuthController } from './auth.controller';
import { SignInHandler } from './sign-in/sign-in.handler';

const queryHandlers = [SignInHandler];

@Module({ imports: [OutboxModule], controllers: [AuthController], providers: [...queryHandlers] })
export class AuthModule {}
