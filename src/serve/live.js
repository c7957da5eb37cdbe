// helpdeck serve's live reload, injected into pages by `helpdeck serve` only. Reloads the page
// when a save changes its file, swaps changed stylesheets without a reload, and shows a failed
// build's errors over the page until the next good save.
(() => {
  const me = document.currentScript;
  if (!me || !window.EventSource) return;
  const { served, wanted, base } = me.dataset;
  const OVERLAY_ID = 'hd-build-error';

  function swapStylesheet(file) {
    const path = `${base}/${file}`;
    for (const link of document.querySelectorAll('link[rel="stylesheet"]')) {
      const url = new URL(link.href, location.href);
      if (decodeURIComponent(url.pathname) !== path) continue;
      url.searchParams.set('v', String(Date.now()));
      link.href = url.href;
    }
  }

  function showError(message) {
    let overlay = document.getElementById(OVERLAY_ID);
    if (!overlay) {
      overlay = document.createElement('div');
      overlay.id = OVERLAY_ID;
      overlay.setAttribute('role', 'alert');
      overlay.style.cssText =
        'position:fixed;inset:0;z-index:2147483647;overflow:auto;padding:2rem;' +
        'background:rgba(20,20,20,.92);color:#fff;font:14px/1.5 ui-monospace,monospace';
      const title = document.createElement('p');
      title.style.cssText = 'margin:0 0 1rem;font-weight:700;color:#ff8080';
      title.textContent = 'helpdeck: the build failed. The last good build is shown; fix the file and save.';
      const text = document.createElement('pre');
      text.style.cssText = 'margin:0;white-space:pre-wrap;word-break:break-word';
      overlay.append(title, text);
      document.body.append(overlay);
    }
    // textContent, never HTML: errors quote the file, which may hold <script>.
    overlay.querySelector('pre').textContent = message;
  }

  const events = new EventSource('/_helpdeck/events');
  // Tells tests (and curious sellers in the inspector) that the page is listening.
  events.addEventListener('open', () => {
    document.documentElement.dataset.helpdeckLive = 'listening';
  });
  events.addEventListener('failed', (event) => showError(event.data));
  events.addEventListener('fixed', () => document.getElementById(OVERLAY_ID)?.remove());
  events.addEventListener('change', (event) => {
    const { files } = JSON.parse(event.data);
    files.filter((file) => file.endsWith('.css')).forEach(swapStylesheet);
    if (files.includes(served) || files.includes(wanted)) location.reload();
  });
})();
