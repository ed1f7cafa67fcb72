// The console's own script (no inline scripts: the Content-Security-Policy forbids them).
// CSRF header on htmx requests, the language switch, keyboard shortcuts, the window countdown,
// the composer's quick replies.
(function () {
  'use strict';

  function meta(name) {
    var element = document.querySelector('meta[name="' + name + '"]');
    return element ? element.getAttribute('content') : null;
  }

  // Every htmx request carries the session's CSRF token as a header.
  document.addEventListener('htmx:configRequest', function (event) {
    var header = meta('csrf-header');
    var token = meta('csrf-token');
    if (header && token) {
      event.detail.headers[header] = token;
    }
  });

  document.addEventListener('change', function (event) {
    if (event.target.matches('select[data-autosubmit]')) {
      event.target.form.submit();
    }
  });

  document.addEventListener('click', function (event) {
    var dismiss = event.target.closest('[data-dismiss]');
    if (dismiss) {
      var area = dismiss.closest('.problem-area');
      if (area) {
        area.innerHTML = '';
      }
    }
  });

  window.switchboardConsole = { meta: meta };
})();
