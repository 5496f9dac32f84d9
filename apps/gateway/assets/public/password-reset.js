(function () {
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
})();
