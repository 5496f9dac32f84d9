import { Query } from '@nestjs/cqrs';
import type { SignInReply, SignInRequest } from '@clientele/contracts';

export class SignInQuery extends Query<SignInReply> {
  constructor(readonly credentials: SignInRequest) {
    super();
  }
}
