// The console's own script (no inline scripts: the Content-Security-Policy forbids them).
// CSRF header on htmx requests, the language switch, local times, the window countdown,
// the composer's quick replies and the keyboard shortcuts of the agent's loop.
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

  // Times in the browser's language and time zone.
  var timeFormat = new Intl.DateTimeFormat(document.documentElement.lang || undefined,
    { dateStyle: 'short', timeStyle: 'short' });
  function localTimes(root) {
    root.querySelectorAll('time[data-local]').forEach(function (time) {
      var at = new Date(time.getAttribute('datetime'));
      if (!isNaN(at)) {
        time.textContent = timeFormat.format(at);
      }
    });
  }

  // The window's countdown. Routing decides the window's state; at zero the page asks it again.
  function pad(n) { return (n < 10 ? '0' : '') + n; }
  function tick() {
    document.querySelectorAll('.window[data-expires-at]').forEach(function (badge) {
      var countdown = badge.querySelector('.countdown');
      if (!countdown) {
        return;
      }
      var left = Math.floor((new Date(badge.getAttribute('data-expires-at')) - new Date()) / 1000);
      if (left <= 0) {
        countdown.textContent = '00:00:00';
        if (!badge.hasAttribute('data-ended')) {
          badge.setAttribute('data-ended', '');
          var area = badge.closest('#window');
          if (area && window.htmx) {
            window.htmx.trigger(area, 'window-ended');
          }
        }
        return;
      }
      countdown.textContent = pad(Math.floor(left / 3600)) + ':' + pad(Math.floor(left / 60) % 60) + ':' + pad(left % 60);
    });
  }
  setInterval(tick, 1000);

  function settle(root) {
    localTimes(root);
    tick();
    var thread = document.getElementById('thread');
    if (thread) {
      thread.scrollTop = thread.scrollHeight;
    }
  }
  document.addEventListener('DOMContentLoaded', function () { settle(document); });
  document.addEventListener('htmx:afterSettle', function (event) { settle(event.detail.elt || document); });

  // A sent message (204; a refusal comes as the message area's content) empties the
  // composer. The thread fetches itself on the answer's "thread-changed".
  document.addEventListener('htmx:afterRequest', function (event) {
    if (event.detail.elt && event.detail.elt.id === 'composer-form' && event.detail.xhr
        && event.detail.xhr.status === 204) {
      var reply = document.getElementById('reply');
      if (reply) {
        reply.value = '';
        hideQuickReplies();
      }
    }
  });

  // Live events sent while the stream was not connected (the page loading, a reconnect)
  // are not sent again: each live fragment fetches itself once the stream is open.
  document.addEventListener('htmx:sseOpen', function () {
    window.htmx.trigger(document.body, 'live-resync');
  });

  document.addEventListener('htmx:afterSwap', function (event) {
    // The window changed between free text and templates only: the composer follows.
    var area = document.getElementById('window');
    var form = document.getElementById('composer-form');
    if (area && form && area.getAttribute('data-mode') !== form.getAttribute('data-mode')) {
      window.htmx.trigger(document.getElementById('composer'), 'mode-changed');
    }
  });

  // Quick replies: "/" then a shortcut lists the matching ones under the composer.
  function hideQuickReplies() {
    var list = document.getElementById('quick-replies');
    if (list) {
      list.hidden = true;
      list.innerHTML = '';
    }
  }
  document.addEventListener('input', function (event) {
    var reply = event.target;
    if (!reply.matches('textarea[data-quick-replies]')) {
      return;
    }
    var value = reply.value;
    if (value.charAt(0) === '/' && !/\s/.test(value)) {
      // From the composer, whose hx-sync="this:replace" drops the answer to an earlier
      // keystroke still on its way: it must not overwrite the list of the latest one.
      window.htmx.ajax('GET', reply.getAttribute('data-quick-replies') + '?q=' + encodeURIComponent(value.slice(1)),
        { source: reply, target: '#quick-replies', swap: 'outerHTML' });
    } else {
      hideQuickReplies();
    }
  });
  document.addEventListener('click', function (event) {
    var choice = event.target.closest('[data-quick-reply]');
    if (choice) {
      var reply = document.getElementById('reply');
      reply.value = choice.getAttribute('data-text');
      hideQuickReplies();
      reply.focus();
      return;
    }
    var dismiss = event.target.closest('[data-dismiss]');
    if (dismiss) {
      var problem = dismiss.closest('.problem-area');
      if (problem) {
        problem.innerHTML = '';
      }
    }
  });

  // The agent's loop from the keyboard.
  function conversations() {
    return Array.prototype.slice.call(document.querySelectorAll('a[data-conversation]'));
  }
  function move(step) {
    var all = conversations();
    if (all.length === 0) {
      return;
    }
    var current = all.findIndex(function (link) {
      return link === document.activeElement || link.getAttribute('aria-current') === 'true';
    });
    var next = all[Math.max(0, Math.min(all.length - 1, current + step))];
    next.click();
  }
  document.addEventListener('keydown', function (event) {
    var target = event.target;
    if (target.id === 'reply' && event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      target.form.requestSubmit();
      return;
    }
    if (target.id === 'reply' && event.key === 'ArrowDown') {
      var first = document.querySelector('#quick-replies [data-quick-reply]');
      if (first) {
        event.preventDefault();
        first.focus();
      }
      return;
    }
    if (target.matches('[data-quick-reply]') && (event.key === 'ArrowDown' || event.key === 'ArrowUp')) {
      event.preventDefault();
      var item = target.closest('li');
      var sibling = event.key === 'ArrowDown' ? item.nextElementSibling : item.previousElementSibling;
      var button = sibling && sibling.querySelector('[data-quick-reply]');
      (button || document.getElementById('reply')).focus();
      return;
    }
    if (target.matches('[data-quick-reply]') && event.key === 'Escape') {
      hideQuickReplies();
      document.getElementById('reply').focus();
      return;
    }
    if (event.ctrlKey || event.metaKey || event.altKey || target.matches('input, textarea, select')) {
      return;
    }
    var reply = document.getElementById('reply');
    switch (event.key) {
      case 'j': move(1); break;
      case 'k': move(-1); break;
      case 'r':
        if (reply) { event.preventDefault(); reply.focus(); }
        break;
      case 'q':
        if (reply) {
          event.preventDefault();
          reply.focus();
          reply.value = '/';
          reply.dispatchEvent(new Event('input', { bubbles: true }));
        }
        break;
      case 'e':
        var resolve = document.getElementById('resolve-button');
        if (resolve) { resolve.click(); }
        break;
      default:
    }
  });

  window.switchboardConsole = { meta: meta };
})();
