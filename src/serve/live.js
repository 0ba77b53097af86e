// openings serve: live reload. Injected into pages by the dev server only.
// Listens on one Server-Sent Events stream; on a change it fetches the page again
// and updates the DOM in place (no navigation: scroll position and typed form
// values survive); a stylesheet change swaps the <link> without touching the page;
// a build error shows the overlay the server sends, and the next good build removes it.
(() => {
  // A refresh morphs the page into the new one, which re-creates this script
  // (its generation attribute changed): without this guard every refresh opened
  // one more event stream, and after six the browser had no connection left
  // for fetching the page (the server none left after sixteen).
  if (window.__openingsLiveReload) return;
  window.__openingsLiveReload = true;
  const me = document.currentScript;
  let generation = Number(me && me.dataset.generation) || 0;
  let busy = Promise.resolve();

  const samePage = (path) => {
    const norm = (p) => p.replace(/index\.html$/, '');
    return norm(path) === norm(location.pathname);
  };

  // A fresh copy of a node; scripts are recreated so the browser runs them.
  const adopt = (node) => {
    const copy = document.importNode(node, true);
    const scripts = copy.nodeName === 'SCRIPT' ? [copy] : copy.querySelectorAll ? [...copy.querySelectorAll('script')] : [];
    for (const old of scripts) {
      const s = document.createElement('script');
      for (const a of old.attributes) s.setAttribute(a.name, a.value);
      s.textContent = old.textContent;
      if (old === copy) return s;
      old.replaceWith(s);
    }
    return copy;
  };

  // Makes `from` look like `to`, keeping nodes that did not change.
  const morph = (from, to) => {
    for (const a of [...from.attributes]) if (!to.hasAttribute(a.name)) from.removeAttribute(a.name);
    for (const a of to.attributes) if (from.getAttribute(a.name) !== a.value) from.setAttribute(a.name, a.value);
    const a = [...from.childNodes];
    const b = [...to.childNodes];
    b.forEach((y, i) => {
      const x = a[i];
      if (!x) from.appendChild(adopt(y));
      else if (x.isEqualNode(y)) return;
      else if (x.nodeType === 1 && y.nodeType === 1 && x.nodeName === y.nodeName && x.nodeName !== 'SCRIPT') morph(x, y);
      else if (x.nodeType === y.nodeType && x.nodeType !== 1) x.nodeValue = y.nodeValue;
      else from.replaceChild(adopt(y), x);
    });
    for (let i = a.length - 1; i >= b.length; i--) from.removeChild(a[i]);
  };

  const refresh = () => {
    busy = busy.then(async () => {
      try {
        const res = await fetch(location.href, { cache: 'no-store' });
        const text = await res.text();
        const doc = new DOMParser().parseFromString(text, 'text/html');
        document.title = doc.title;
        morph(document.head, doc.head);
        morph(document.body, doc.body);
        document.dispatchEvent(new CustomEvent('openings:updated'));
      } catch (e) {
        location.reload();
      }
    });
  };

  const swapCss = (swaps) => {
    for (const [from, to] of swaps) {
      for (const link of document.querySelectorAll('link[rel="stylesheet"]')) {
        if (new URL(link.href, location.href).pathname !== from) continue;
        const next = link.cloneNode();
        next.href = to;
        next.addEventListener('load', () => {
          link.remove();
          document.dispatchEvent(new CustomEvent('openings:updated'));
        }, { once: true });
        link.after(next);
      }
    }
  };

  const source = new EventSource('/__openings/events');
  source.addEventListener('hello', (e) => {
    // Missed a rebuild between loading the page and connecting (or the server restarted).
    const data = JSON.parse(e.data);
    if (data.generation !== generation) {
      generation = data.generation;
      refresh();
    }
  });
  source.addEventListener('pages', (e) => {
    const data = JSON.parse(e.data);
    generation = data.generation;
    if (!data.paths || data.paths.some(samePage)) refresh();
    else document.getElementById('openings-overlay')?.remove();
  });
  source.addEventListener('css', (e) => {
    const data = JSON.parse(e.data);
    generation = data.generation;
    document.getElementById('openings-overlay')?.remove();
    swapCss(data.swaps);
  });
  source.addEventListener('broken', (e) => {
    const data = JSON.parse(e.data);
    document.getElementById('openings-overlay')?.remove();
    const holder = document.createElement('div');
    holder.innerHTML = data.html;
    document.body.insertBefore(holder.firstChild, me && me.parentNode === document.body ? me : null);
    document.dispatchEvent(new CustomEvent('openings:updated'));
  });
})();
