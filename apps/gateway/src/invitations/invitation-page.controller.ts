import { Controller, Get, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import type { SendOptions } from '@fastify/static';
import { Public } from '../auth/auth.guard';
import { PAGES_DIR } from '../http/assets';

export const PAGE_CSP = "default-src 'none'; script-src 'self'; connect-src 'self'; style-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
/** A page is not cached (the answer gets `no-store`) and carries no validators. */
const PAGE_FILE: SendOptions = { cacheControl: false, etag: false, lastModified: false, acceptRanges: false };

/**
 * The small pages behind the links in the e-mails (`apps/gateway/assets/pages`;
 * their scripts and styles are under /assets/): they show whom the invitation
 * is for and set the password through the API. The HTML is the same for every
 * token and all text goes in with textContent, so nothing from the API is
 * interpreted as HTML.
 */
@ApiExcludeController()
@Public()
@Controller()
export class InvitationPageController {
  @Get('invitations/:token')
  page(@Res() reply: FastifyReply) {
    sendPage(reply, 'invitation.html');
  }

  @Get('password-reset/:token')
  resetPage(@Res() reply: FastifyReply) {
    sendPage(reply, 'password-reset.html');
  }

  @Get('relationship-requests/:token')
  connectPage(@Res() reply: FastifyReply) {
    sendPage(reply, 'connect.html');
  }
}

/** The page as it is on disk: the token stays in the URL, where the page's script reads it. */
function sendPage(reply: FastifyReply, file: string): void {
  void reply.header('Content-Security-Policy', PAGE_CSP).sendFile(file, PAGES_DIR, PAGE_FILE);
}
