import { Module } from '@nestjs/common';
import { AuthController } from './auth.controller';
import { SignInHandler } from './sign-in/sign-in.handler';

const queryHandlers = [SignInHandler];

@Module({ controllers: [AuthController], providers: [...queryHandlers] })
export class AuthModule {}
