import { Controller, Get, Header, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Public } from '../auth/auth.guard';

const PAGE_CSP = "default-src 'none'; script-src 'self'; connect-src 'self'; style-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

const PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Activate your account</title><link rel="stylesheet" href="/assets/onboarding.css"></head>
<body><main>
<h1>Activate your account</h1>
<p id="who" aria-live="polite">Checking your invitation…</p>
<form id="accept" hidden>
  <label for="password">Choose a password (at least 12 characters)</label>
  <input id="password" name="password" type="password" autocomplete="new-password" minlength="12" required>
  <button type="submit">Activate</button>
</form>
<p id="result" role="status" aria-live="polite"></p>
</main><script src="/assets/invitation.js"></script></body></html>`;

const SCRIPT = `(function () {
  var token = decodeURIComponent(location.pathname.split('/').pop() || '');
  var who = document.getElementById('who'), form = document.getElementById('accept'), result = document.getElementById('result');
  function text(el, value) { el.textContent = value; }
  fetch('/v1/invitations/' + encodeURIComponent(token)).then(function (r) { return r.json().then(function (b) { return [r.status, b]; }); })
    .then(function (a) {
      if (a[0] !== 200) { text(who, a[1].detail || 'This invitation cannot be used.'); return; }
      var p = a[1];
      text(who, (p.invitedBy ? p.invitedBy + ' invited ' : 'You are invited as ') + p.ownerEmail + ' to manage ' + p.companyName + ' (' + p.accountName + '). The link works until ' + new Date(p.expiresAt).toLocaleString() + '.');
      form.hidden = false;
    });
  form.addEventListener('submit', function (e) {
    e.preventDefault();
    fetch('/v1/invitations/' + encodeURIComponent(token) + '/accept', { method: 'POST', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ password: document.getElementById('password').value }) })
      .then(function (r) { return r.json().then(function (b) { return [r.status, b]; }); })
      .then(function (a) {
        if (a[0] === 200) { form.hidden = true; text(result, 'Your account is active. You can now sign in with your e-mail and this password.'); }
        else { text(result, (a[1].errors && a[1].errors[0] && a[1].errors[0].message) || a[1].detail); }
      });
  });
})();`;

const CSS = `body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;color:#1a1a1a;background:#f6f7f9;margin:0}
main{max-width:460px;margin:48px auto;background:#fff;padding:32px;border-radius:8px;box-shadow:0 1px 3px rgba(0,0,0,.1)}
label{display:block;margin:16px 0 6px}input{width:100%;padding:10px;font-size:16px;box-sizing:border-box}
button{margin-top:16px;padding:10px 18px;font-size:16px;background:#1d4ed8;color:#fff;border:0;border-radius:6px;cursor:pointer}
button:focus,input:focus{outline:3px solid #93c5fd}`;

const RESET_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Choose a password</title><link rel="stylesheet" href="/assets/onboarding.css"></head>
<body><main>
<h1>Choose a password</h1>
<form id="reset">
  <label for="password">New password (at least 12 characters)</label>
  <input id="password" name="password" type="password" autocomplete="new-password" minlength="12" required>
  <button type="submit">Save</button>
</form>
<p id="result" role="status" aria-live="polite"></p>
</main><script src="/assets/password-reset.js"></script></body></html>`;

const RESET_SCRIPT = `(function () {
  var token = decodeURIComponent(location.pathname.split('/').pop() || '');
  var form = document.getElementById('reset'), result = document.getElementById('result');
  form.addEventListener('submit', function (e) {
    e.preventDefault();
    fetch('/v1/auth/password-reset/' + encodeURIComponent(token), { method: 'POST', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ password: document.getElementById('password').value }) })
      .then(function (r) { return r.json().then(function (b) { return [r.status, b]; }); })
      .then(function (a) {
        if (a[0] === 200) { form.hidden = true; result.textContent = 'Your password is set. You can now sign in with it.'; }
        else { result.textContent = (a[1].errors && a[1].errors[0] && a[1].errors[0].message) || a[1].detail; }
      });
  });
})();`;

const CONNECT_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Invitation to connect</title><link rel="stylesheet" href="/assets/onboarding.css"></head>
<body><main>
<h1>Invitation to connect</h1>
<p>Sign in as an admin of the invited account to accept or decline.</p>
<form id="connect">
  <label for="email">E-mail</label><input id="email" type="email" autocomplete="username" required>
  <label for="password">Password</label><input id="password" type="password" autocomplete="current-password" required>
  <button type="submit" name="decision" value="accept">Accept</button>
  <button type="submit" name="decision" value="decline">Decline</button>
</form>
<p id="result" role="status" aria-live="polite"></p>
</main><script src="/assets/connect.js"></script></body></html>`;

const CONNECT_SCRIPT = `(function () {
  var token = decodeURIComponent(location.pathname.split('/').pop() || '');
  var form = document.getElementById('connect'), result = document.getElementById('result');
  function call(path, body, bearer) {
    var headers = { 'Content-Type': 'application/json' };
    if (bearer) headers.Authorization = 'Bearer ' + bearer;
    return fetch(path, { method: 'POST', headers: headers, body: JSON.stringify(body) })
      .then(function (r) { return r.json().then(function (b) { return [r.status, b]; }); });
  }
  form.addEventListener('submit', function (e) {
    e.preventDefault();
    var decision = (e.submitter && e.submitter.value) || 'accept';
    call('/v1/auth/token', { email: document.getElementById('email').value, password: document.getElementById('password').value })
      .then(function (a) {
        if (a[0] !== 200) { result.textContent = a[1].detail; return; }
        return call('/v1/relationship-requests/' + encodeURIComponent(token) + '/' + decision, {}, a[1].accessToken).then(function (d) {
          if (d[0] === 200) { form.hidden = true; result.textContent = decision === 'accept' ? 'Accepted: you are now connected.' : 'Declined.'; }
          else { result.textContent = d[1].detail; }
        });
      });
  });
})();`;

/**
 * The small pages behind the links in the e-mails: it shows whom the invitation
 * is for and sets the password through the API. All text goes in with
 * textContent, so nothing from the API is interpreted as HTML.
 */
@ApiExcludeController()
@Public()
@Controller()
export class InvitationPageController {
  @Get('invitations/:token')
  page(@Res() reply: FastifyReply) {
    void reply.header('Content-Security-Policy', PAGE_CSP).type('text/html; charset=utf-8').send(PAGE);
  }

  @Get('password-reset/:token')
  resetPage(@Res() reply: FastifyReply) {
    void reply.header('Content-Security-Policy', PAGE_CSP).type('text/html; charset=utf-8').send(RESET_PAGE);
  }

  @Get('assets/password-reset.js')
  @Header('Cache-Control', 'public, max-age=300')
  resetScript(@Res() reply: FastifyReply) {
    void reply.type('application/javascript; charset=utf-8').send(RESET_SCRIPT);
  }

  @Get('relationship-requests/:token')
  connectPage(@Res() reply: FastifyReply) {
    void reply.header('Content-Security-Policy', PAGE_CSP).type('text/html; charset=utf-8').send(CONNECT_PAGE);
  }

  @Get('assets/connect.js')
  @Header('Cache-Control', 'public, max-age=300')
  connectScript(@Res() reply: FastifyReply) {
    void reply.type('application/javascript; charset=utf-8').send(CONNECT_SCRIPT);
  }

  @Get('assets/invitation.js')
  @Header('Cache-Control', 'public, max-age=300')
  script(@Res() reply: FastifyReply) {
    void reply.type('application/javascript; charset=utf-8').send(SCRIPT);
  }

  @Get('assets/onboarding.css')
  @Header('Cache-Control', 'public, max-age=300')
  css(@Res() reply: FastifyReply) {
    void reply.type('text/css; charset=utf-8').send(CSS);
  }
}
