import { Controller } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { AccountsRpc, SignInRequest } from '@clientele/contracts';
import { SignInQuery } from './sign-in/sign-in.query';

@Controller()
export class AuthController {
  constructor(private readonly queries: QueryBus) {}

  @MessagePattern(AccountsRpc.signIn)
  signIn(@Payload() credentials: SignInRequest) {
    return this.queries.execute(new SignInQuery(credentials));
  }
}
