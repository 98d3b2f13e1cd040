// Hyperflask Todos, in the browser. Three small jobs:
//  1. apply live fragments (from the stream, from responses, from a catch-up fetch) as upserts
//  2. keep the stream element's data-connection and status text current, catching up on (re)open
//  3. inline editing (Edit/Rename, Enter saves, Escape cancels, an emptied title asks to delete)
(() => {
  "use strict";

  // ---- 1. Live fragments ------------------------------------------------------------------
  // A fragment is an element with an id and a data-version. It replaces the element with the
  // same id only when it is newer, so receiving it twice or late changes nothing. A new element
  // goes into the container named by data-into, ordered by data-position. A <template
  // data-removed> removes its id and leaves a tombstone so that an older copy cannot return.
  const tombstones = new Map();   // id -> version of its removal
  const pending = new Map();      // id -> newer fragment held back while the user edits it
  let touchedLive = null;         // ids changed live while a catch-up fetch is in flight

  const versionOf = (el) => Number(el.dataset.version || 0);

  function fragmentsIn(html) {
    const parsed = document.createElement("template");
    parsed.innerHTML = html;
    return [...parsed.content.querySelectorAll("template[data-live]")]
      .flatMap((live) => [...live.content.children]);
  }

  function apply(fragment, { live = true } = {}) {
    const current = document.getElementById(fragment.id);
    const version = versionOf(fragment);
    if ((tombstones.get(fragment.id) ?? -1) >= version) return;
    if (current && versionOf(current) >= version) return;
    if (live && touchedLive) touchedLive.add(fragment.id);
    if (fragment.hasAttribute("data-removed")) return remove(fragment.id, version, current);
    if (current && isEditing(current)) return hold(fragment);
    place(document.importNode(fragment, true), current);
  }

  function hold(fragment) {
    const held = pending.get(fragment.id);
    if (!held || versionOf(held) < versionOf(fragment)) pending.set(fragment.id, fragment);
  }

  function remove(id, version, current) {
    tombstones.set(id, version);
    pending.delete(id);
    if (current?.dataset.goneHref) return location.assign(current.dataset.goneHref);
    current?.remove();
  }

  function place(el, current) {
    const focus = current ? focusPath(current) : null;
    const container = document.getElementById(el.dataset.into) || current?.parentElement;
    if (current && (!container || current.dataset.position === el.dataset.position)) {
      current.replaceWith(el);
    } else if (container) {
      current?.remove();
      const position = Number(el.dataset.position);
      const next = [...container.children].find((c) => Number(c.dataset.position) > position);
      container.insertBefore(el, next || null);
    }
    htmx.process(el);
    if (focus !== null) restoreFocus(el, focus);
  }

  // Keep keyboard focus on "the same button" when its element is replaced.
  const focusable = (root) => [...root.querySelectorAll("button, input, a, [tabindex]")];
  function focusPath(el) {
    const index = focusable(el).indexOf(document.activeElement);
    return index >= 0 ? index : null;
  }
  function restoreFocus(el, index) {
    focusable(el)[index]?.focus();
  }

  function applyAll(html, options) {
    fragmentsIn(html).forEach((fragment) => apply(fragment, options));
  }

  // Stream messages: applied here instead of swapped by the sse extension.
  document.addEventListener("htmx:sseBeforeMessage", (event) => {
    event.preventDefault();
    applyAll(event.detail.data);
  });

  // Responses to our own requests carry the same fragments as the broadcast; apply them the
  // same way (whichever arrives second is a no-op) and swap only the rest (an error message).
  document.addEventListener("htmx:beforeSwap", (event) => {
    const response = event.detail.serverResponse;
    if (!response || !response.includes("data-live")) return;
    applyAll(response);
    const elt = event.detail.requestConfig.elt;
    const container = editable(elt);
    if (event.detail.xhr.status < 400 && elt.matches("[data-edit-form]") && isEditing(container)) stopEditing(container);
    event.detail.serverResponse = response.replace(/<template data-live>[\s\S]*<\/template>/, "");
  });

  // ---- 2. Connection state and catch-up ---------------------------------------------------
  // On every open (the first one included, which closes the gap between page render and
  // subscription), fetch the page again and converge to it: newer fragments win, elements the
  // server no longer has are removed unless a live event touched them during the fetch.
  function setConnection(stream, state, text) {
    stream.dataset.connection = state;
    const status = stream.querySelector("[data-live-status]");
    if (status) status.textContent = text;
  }

  async function catchUp() {
    touchedLive = new Set();
    try {
      const response = await fetch(location.href, { headers: { Accept: "text/html" }, cache: "no-store" });
      if (response.status === 404) {
        const gone = document.querySelector("[data-gone-href]");
        if (gone) location.assign(gone.dataset.goneHref);
        return;
      }
      if (!response.ok) throw new Error(`catch-up: HTTP ${response.status}`);
      const fresh = new DOMParser().parseFromString(await response.text(), "text/html");
      fresh.querySelectorAll("[data-version]").forEach((fragment) => apply(fragment, { live: false }));
      document.querySelectorAll("[data-into][data-version]").forEach((el) => {
        if (!fresh.getElementById(el.id) && !touchedLive.has(el.id)) el.remove();
      });
    } finally {
      touchedLive = null;
    }
  }

  document.addEventListener("htmx:sseOpen", async (event) => {
    const stream = event.target;
    setConnection(stream, "connecting", "Syncing…");
    for (let attempt = 1; ; attempt++) {
      try {
        await catchUp();
        return setConnection(stream, "open", "Live");
      } catch (error) {
        console.warn(error);
        setConnection(stream, "connecting", "Reconnecting…");
        await new Promise((resolve) => setTimeout(resolve, Math.min(attempt, 10) * 1000));
      }
    }
  });
  document.addEventListener("htmx:sseError", (event) => {
    if (event.target.dataset) setConnection(event.target, "connecting", "Reconnecting…");
  });
  document.addEventListener("htmx:sseClose", (event) => setConnection(event.target, "closed", "Offline"));

  // ---- 3. Inline editing ------------------------------------------------------------------
  const editable = (el) => el?.closest("[data-editable]");
  const isEditing = (el) => el.hasAttribute("data-editing");

  function startEditing(container) {
    container.setAttribute("data-editing", "");
    const input = container.querySelector("[data-edit-form] input");
    input.focus();
    input.select();
  }

  function stopEditing(container) {
    const form = container.querySelector("[data-edit-form]");
    form.reset();
    container.removeAttribute("data-editing");
    container.querySelector("[data-edit]")?.focus();
    const newer = pending.get(container.id);
    pending.delete(container.id);
    if (newer) apply(newer);
  }

  document.addEventListener("click", (event) => {
    const button = event.target.closest("[data-edit]");
    if (button) startEditing(editable(button));
  });

  document.addEventListener("keydown", (event) => {
    if (event.key !== "Escape") return;
    const container = editable(event.target);
    if (container && isEditing(container)) stopEditing(container);
  });

  // An emptied item title asks to delete the item instead of saving.
  document.addEventListener("htmx:confirm", (event) => {
    const form = event.target;
    if (!form.matches?.("[data-confirm-empty]") || form.elements.title.value.trim()) return;
    event.preventDefault();
    if (confirm(form.dataset.confirmEmpty)) editable(form).querySelector("[data-delete]").click();
  });

  // After a successful add, empty the field and keep focus there for the next one.
  document.addEventListener("htmx:afterRequest", (event) => {
    const form = event.detail.elt;
    if (event.detail.successful && form.matches?.("[data-reset-on-success]")) {
      form.reset();
      form.querySelector("input")?.focus();
    }
  });

  // Mark a field invalid while its error message shows.
  document.addEventListener("htmx:afterSwap", (event) => {
    const slot = event.detail.target;
    if (!slot.classList?.contains("field-error")) return;
    document.querySelectorAll(`[aria-describedby="${slot.id}"]`)
      .forEach((input) => input.setAttribute("aria-invalid", slot.textContent.trim() ? "true" : "false"));
  });
})();
