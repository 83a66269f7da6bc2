// Progressive enhancement for the admin console; every page works without it. Served as a file:
// the content security policy allows no inline script.
(() => {
  // Confirmation before destructive actions (offboard, revoke, invite everyone).
  document.addEventListener('submit', (event) => {
    const submitter = event.submitter;
    const message = submitter?.dataset.confirm ?? event.target.dataset?.confirm;
    if (message && !window.confirm(message)) event.preventDefault();
  });

  // "Tick everyone on this page": hidden without script, since it needs script to work.
  for (const master of document.querySelectorAll('[data-select-all]')) {
    master.hidden = false;
    const boxes = () => document.querySelectorAll(`input[type=checkbox][name="${master.dataset.selectAll}"]`);
    master.addEventListener('change', () => {
      for (const box of boxes()) box.checked = master.checked;
    });
  }

  // A token shown once: focusing the field selects it, ready to copy.
  for (const input of document.querySelectorAll('[data-select-on-focus]')) {
    input.addEventListener('focus', () => input.select());
  }

  // Live progress: poll the JSON beside the page until the work is done, then show the final page.
  const panel = document.querySelector('[data-status-url][data-following]');
  if (panel) {
    const bar = panel.querySelector('progress');
    const poll = async () => {
      try {
        const response = await fetch(panel.dataset.statusUrl, { headers: { accept: 'application/json' } });
        if (response.status === 401) return window.location.reload();
        if (response.ok) {
          const status = await response.json();
          for (const key of ['state', 'done', 'total']) {
            const node = panel.querySelector(`[data-field="${key}"]`);
            if (node) node.textContent = String(status[key]);
          }
          for (const [key, value] of Object.entries(status.figures ?? {})) {
            const node = panel.querySelector(`[data-figure="${key}"]`);
            if (node) node.textContent = String(value);
          }
          if (bar) {
            bar.max = Math.max(1, status.total);
            bar.value = status.done;
          }
          if (status.finished) return window.location.reload();
        }
      } catch {
        // A network blip: try again on the next tick.
      }
      setTimeout(poll, 1000);
    };
    setTimeout(poll, 1000);
  }
})();
