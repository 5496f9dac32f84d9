(function () {
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
})();
