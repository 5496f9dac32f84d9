(function () {
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
})();
