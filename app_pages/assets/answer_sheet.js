// The questionnaire's answer sheet: one area's questions for one participant, drawn as plain
// HTML form controls (native radio groups, a text field, buttons). Every change is sent to
// Python as one "event" trigger; Python checks it, saves it and sends the sheet back.
// All text is set with textContent: nothing from the bank or the users is parsed as HTML.
//
// By keyboard: each question's levels are one radio group named by its question, one Tab stop
// (the chosen level, else the first); the arrow keys (and Home/End) move between the levels
// without choosing, Space or Enter chooses. What became of a change ("Sparat", "Inte sparat")
// is said once more in one polite live region, for a screen reader. A sheet that is read-only
// (answering is closed) shows the answers with its controls disabled; its areas can be browsed.
// In mode "questions" (Samsyn) the sheet is its questions alone: the page around it shows the
// area, the question's text and what goes with it.
//
// No event is lost on the way: each has an id, and the sheet Python sends back names the last
// one it handled ("ack"). Events go one at a time, in order; one that a redrawn sheet does not
// acknowledge is sent again. (A server that restarted under the page drops a click that comes
// before its first run is through, and a click made while the page has no connection never
// leaves the browser.) Every event is safe to apply twice. Until an event is acknowledged its
// question shows the choice with "Saving …", and after a few seconds that it is not saved yet.

const h = (tag, attrs = {}, ...children) => {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (key === "text") el.textContent = value;
    else if (key === "class") el.className = value;
    else el.setAttribute(key, value === true ? "" : String(value));
  }
  for (const child of children) if (child) el.append(child);
  return el;
};

const fill = (template, values) =>
  template.replace(/\{(\w+)\}/g, (whole, name) => (name in values ? String(values[name]) : whole));

function progress(className) {
  const text = h("span", { class: "progress-text" });
  const bar = h("progress", { max: 1, value: 0 });
  return h("div", { class: `progress ${className}` }, text, bar);
}

// Change the DOM only where a value differs: every change costs the browser a new layout.
const setText = (el, text) => { if (el.textContent !== text) el.textContent = text; };
const setAttr = (el, name, value) => {
  const text = value === null ? null : String(value);
  if (el.getAttribute(name) !== text) {
    if (text === null) el.removeAttribute(name); else el.setAttribute(name, text);
  }
};

function setProgress(el, label, done, total) {
  setText(el.querySelector(".progress-text"), label);
  const bar = el.querySelector("progress");
  setAttr(bar, "max", total || 1);
  setAttr(bar, "value", done);
  setAttr(bar, "aria-label", label);
}

function tabs(data, send) {
  const nav = h("nav", { class: "areas", "aria-label": data.texts.areas });
  for (const area of data.areas) {
    const button = h("button", { type: "button", class: "area-tab", title: area.name,
                                 "data-area": area.id });
    button.addEventListener("click", () => send({ kind: "area", area: area.id }));
    nav.append(button);
  }
  return nav;
}

function updateTabs(nav, data) {
  nav.querySelectorAll("button.area-tab").forEach((button, i) => {
    const area = data.areas[i];
    const complete = area.done === area.total;
    setText(button, `${area.id} ${area.done}/${area.total}${complete ? " ✓" : ""}`);
    if (button.classList.contains("complete") !== complete) button.classList.toggle("complete", complete);
    setAttr(button, "aria-current", area.id === data.area.id ? "true" : null);
  });
}

// What each answer means: the levels, "Vet ej" and "Ej aktuellt" with their descriptors.
function scaleHelp(data) {
  const list = h("dl");
  for (const option of data.options) {
    list.append(h("dt", { text: option.label }), h("dd", { text: option.hint || "" }));
  }
  return h("details", { class: "scale-help" }, h("summary", { text: data.texts.scale_help }), list);
}

function questionCard(q, data, send) {
  const name = `answer-${q.id}`;
  const labelId = `q-${q.id}`;
  const group = h("div", { role: "radiogroup", class: "options", "aria-labelledby": labelId });
  const radios = [];
  data.options.forEach((option, i) => {
    const input = h("input", { type: "radio", name, value: i });
    input.addEventListener("change", () => {
      if (!input.checked) return;
      setText(card.querySelector(".status"), data.texts.saving);
      send({ kind: "answer", question: q.id, option: i });
    });
    input.addEventListener("keydown", (event) => {
      const step = MOVES[event.key];
      if (step !== undefined) {  // move between the levels; choose nothing yet
        event.preventDefault();
        const to = step === "first" ? 0 : step === "last" ? radios.length - 1
          : (i + step + radios.length) % radios.length;
        rove(radios, to);
        radios[to].focus();
      } else if (event.key === "Enter") {
        event.preventDefault();
        if (!input.checked) input.click();
      }
    });
    input.addEventListener("focus", () => rove(radios, i));
    radios.push(input);
    group.append(h("label", { class: "option", title: option.hint || null },
      input, h("span", { text: option.label })));
  });

  const guidance = h("details", { class: "guidance" },
    h("summary", { text: data.texts.guidance }),
    h("p", { text: q.activity }),
    ...q.examples.map((e) => h("p", {}, h("strong", { text: e.level + ": " }), e.text)),
    q.targets ? h("p", { class: "targets", text: q.targets }) : null);

  const comment = h("input", {
    type: "text", class: "comment", maxlength: data.max_comment,
    placeholder: data.texts.comment_placeholder, "aria-label": `${data.texts.comment} – ${q.id}`,
  });
  comment.addEventListener("change", () =>
    send({ kind: "comment", question: q.id, text: comment.value }));
  const clear = h("button", { type: "button", class: "clear", text: data.texts.clear });
  clear.addEventListener("click", () => send({ kind: "clear", question: q.id }));

  const card = h("section", { class: "question", "data-question": q.id },
    h("p", { class: "question-text", id: labelId },
      h("strong", { text: q.id }), " ", q.text),
    q.shared ? h("p", { class: "shared", text: q.shared }) : null,
    group,
    h("div", { class: "comment-row" }, comment, clear),
    guidance,
    h("p", { class: "status" }));
  return card;
}

const MOVES = { ArrowRight: 1, ArrowDown: 1, ArrowLeft: -1, ArrowUp: -1, Home: "first", End: "last" };

// One Tab stop per question: the level at ``index``.
function rove(radios, index) {
  radios.forEach((radio, i) => setAttr(radio, "tabindex", i === index ? 0 : -1));
}

// Say ``text`` in the sheet's live region (a repeat of the same words is said again).
function announce(root, text) {
  const live = root.querySelector(".live");
  if (!live || !text) return;
  live.textContent = live.textContent === text ? `${text}\u00a0` : text;
}

function updateCard(card, q, readOnly) {
  const radios = [...card.querySelectorAll("input[type=radio]")];
  radios.forEach((radio, i) => {
    if (radio.checked !== (q.option === i)) radio.checked = q.option === i;
    if (radio.disabled !== readOnly) radio.disabled = readOnly;
  });
  if (!radios.includes(card.getRootNode().activeElement)) rove(radios, q.option ?? 0);
  const comment = card.querySelector("input.comment");
  if (comment.disabled !== readOnly) comment.disabled = readOnly;
  // Keep what is being typed; otherwise show what is saved.
  if (comment !== comment.getRootNode().activeElement && comment.dataset.saved !== q.comment) {
    comment.value = q.comment;
  }
  if (comment.dataset.saved !== q.comment) comment.dataset.saved = q.comment;
  const clear = card.querySelector("button.clear");
  const noClear = q.option === null || readOnly;
  if (clear.hidden !== noClear) clear.hidden = noClear;
  const status = card.querySelector(".status");
  const said = q.status || "";
  const changed = status.textContent !== said;
  setText(status, said);
  const answered = q.option !== null;
  if (card.classList.contains("answered") !== answered) card.classList.toggle("answered", answered);
  return changed ? said : "";
}

const UNSAVED_AFTER_MS = 4000;  // no acknowledgement by then: say so, and send it again

// The events not yet acknowledged, oldest first; only the first is on its way.
function deliver(root) {
  const { state } = root;
  clearTimeout(state.timer);
  const [first] = state.queue;
  if (!first || !root.isConnected) return;  // nothing waits, or the sheet left the page
  state.trigger("event", first);
  state.timer = setTimeout(() => {
    for (const event of state.queue) {
      const card = event.question && root.querySelector(
        `section.question[data-question="${CSS.escape(event.question)}"]`);
      if (card) setText(card.querySelector(".status"), state.texts.not_saved);
    }
    if (state.queue.length) announce(root, state.texts.not_saved);
    deliver(root);
  }, UNSAVED_AFTER_MS);
}

// A question as the sheet shows it while an event for it waits: the choice made, "Saving …".
function waiting(q, event, texts) {
  const shown = { ...q, status: texts.saving };
  if (event.kind === "answer") shown.option = event.option;
  if (event.kind === "clear") Object.assign(shown, { option: null, comment: "" });
  if (event.kind === "comment") shown.comment = event.text;
  return shown;
}

export default function (component) {
  const { setTriggerValue, parentElement, data } = component;
  let root = parentElement.querySelector(".sheet");
  if (!root) {
    root = h("div", { class: "sheet" });
    root.state = { key: null, area: null, onlyMissing: false, focusSeq: 0, queue: [], seq: 0,
                   page: Math.random().toString(36).slice(2) };
    parentElement.append(root);
  }
  const state = root.state;
  Object.assign(state, { trigger: setTriggerValue, texts: data.texts });
  const send = (event) => {
    state.queue.push({ ...event, id: `${state.page}-${++state.seq}` });
    if (state.queue.length === 1) deliver(root);
  };
  // This sheet answers the first event waiting, or it was drawn without it: send it (again).
  if (state.queue.length && state.queue[0].id === data.ack) state.queue.shift();
  if (state.queue.length) deliver(root); else clearTimeout(state.timer);
  const key = JSON.stringify([data.lang, data.area.id, data.questions.map((q) => q.id)]);

  let newArea = false;
  if (state.key !== key) {
    // Another area (or language): draw it anew.
    state.key = key;
    newArea = state.area !== null && state.area !== data.area.id;
    state.area = data.area.id;
    root.replaceChildren();
    if (data.mode === "questions") {
      root.append(
        h("div", { class: "questions" },
          ...data.questions.map((q) => questionCard(q, data, send))),
        h("p", { class: "live", "aria-live": "polite", role: "status" }));
    } else {
      const onlyMissing = h("input", { type: "checkbox", class: "only-missing" });
      onlyMissing.checked = state.onlyMissing;
      onlyMissing.addEventListener("change", () => {
        state.onlyMissing = onlyMissing.checked;
        root.classList.toggle("only-missing", state.onlyMissing);
      });
      const footer = h("div", { class: "footer" });
      if (data.previous) {
        const prev = h("button", { type: "button", class: "previous",
          text: fill(data.texts.previous, { area: data.previous }) });
        prev.addEventListener("click", () => send({ kind: "area", area: data.previous }));
        footer.append(prev);
      }
      if (data.next) {
        const next = h("button", { type: "button", class: "next primary",
          text: fill(data.texts.next, { area: data.next }) });
        next.addEventListener("click", () => send({ kind: "area", area: data.next }));
        footer.append(next);
      }
      const jump = h("button", { type: "button", class: "jump" });
      jump.addEventListener("click", () => send({ kind: "jump" }));
      root.append(
        progress("overall"),
        tabs(data, send),
        h("div", { class: "head" },
          h("h2", { text: data.area.title, tabindex: -1 }),
          h("p", { class: "aim", text: data.area.aim }),
          data.area.time ? h("p", { class: "time", text: data.area.time }) : null,
          progress("area-progress"),
          scaleHelp(data),
          h("div", { class: "tools" },
            h("label", { class: "toggle" }, onlyMissing, h("span", { text: data.texts.only_missing })),
            jump)),
        h("div", { class: "questions" },
          ...data.questions.map((q) => questionCard(q, data, send))),
        h("p", { class: "area-done", text: data.texts.area_done }),
        footer,
        h("p", { class: "live", "aria-live": "polite", role: "status" }));
      root.classList.toggle("only-missing", state.onlyMissing);
    }
  }

  // Values that change with answers.
  if (data.mode !== "questions") {
    setProgress(root.querySelector(".overall"), data.overall.text, data.overall.done, data.overall.total);
    updateTabs(root.querySelector("nav.areas"), data);
    setProgress(root.querySelector(".area-progress"),
      fill(data.texts.area_progress, { done: data.area.done, total: data.area.total }),
      data.area.done, data.area.total);
    const jump = root.querySelector("button.jump");
    setText(jump, data.missing ? fill(data.texts.jump, { count: data.missing }) : data.texts.all_done);
    if (jump.disabled !== !data.missing) jump.disabled = !data.missing;
    const complete = data.area.done === data.area.total;
    if (root.classList.contains("area-complete") !== complete) root.classList.toggle("area-complete", complete);
  }
  if (root.classList.contains("read-only") !== data.read_only) root.classList.toggle("read-only", data.read_only);
  const cards = root.querySelectorAll("section.question");
  const pending = new Map(state.queue.filter((e) => e.question).map((e) => [e.question, e]));
  const said = data.questions.map((q, i) => updateCard(cards[i],
    pending.has(q.id) ? waiting(q, pending.get(q.id), data.texts) : q, data.read_only));
  const news = data.questions.map((q, i) => said[i] && said[i] !== data.texts.saving
    ? `${q.id}: ${said[i]}` : "").filter(Boolean);
  if (news.length && !newArea) announce(root, news.join(". "));

  if (newArea && data.mode !== "questions") {
    // The participant moved on: the new area starts at its top (not where the button was).
    root.scrollIntoView({ block: "start" });
    root.querySelector(".head [tabindex='-1']").focus({ preventScroll: true });
  }

  if (data.focus && data.focus.seq !== state.focusSeq) {
    state.focusSeq = data.focus.seq;
    const card = root.querySelector(`section.question[data-question="${CSS.escape(data.focus.question)}"]`);
    if (card) {
      card.scrollIntoView({ block: "center" });
      const first = card.querySelector("input[type=radio]");
      if (first) first.focus({ preventScroll: true });
    }
  }
}
