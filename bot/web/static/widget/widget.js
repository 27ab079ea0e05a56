/*
 * What Matters patient chat: the embeddable widget and the full-page chat.
 *
 * Embed on any website with one tag (every file comes from the What Matters server):
 *   <script src="https://WHATMATTERS-SERVER/patient/widget.js" async
 *           data-practice="Y01234" data-colour="#005eb8" data-open="false"></script>
 * Optional data attributes: data-practice (practice id, sent with each message),
 * data-colour (#rrggbb, used only when white text on it is readable), data-open="true"
 * (start open), data-title, data-socket-url (the Rasa server, when it is not the default).
 *
 * Talks to Rasa's socket.io channel (Rasa's own chat widget protocol): session_request /
 * session_confirm, user_uttered {message, session_id, metadata}, bot_uttered {text, quick_replies}.
 * Plain JavaScript, no build step. Bot and patient text is only ever set with textContent.
 */
(function () {
  "use strict";

  var CONFIG = /*WM_CONFIG*/null;
  var script = document.currentScript;
  if (!script || window.__whatMattersChat) { return; }
  window.__whatMattersChat = true;

  var here = new URL(script.src, document.baseURI);
  var assets = new URL("widget/", here).href;
  var data = script.dataset;
  var config = CONFIG || {};

  function clean(value, pattern) {
    value = (value || "").trim();
    return pattern.test(value) ? value : "";
  }

  function parseJson(text) {
    try { return text ? JSON.parse(text) : null; } catch (e) { return null; }
  }

  var options = {
    mode: data.mode === "page" ? "page" : "embed",
    target: data.target || "",
    socketUrl: data.socketUrl || config.socketUrl || "",
    steps: parseJson(data.steps) || config.steps || [],
    referralMarker: data.referralMarker || config.referralMarker || "",
    privacyUrl: data.privacyUrl || new URL("privacy", here).href,
    practice: clean(data.practice, /^[A-Za-z0-9 _-]{1,40}$/),
    ref: clean(data.ref, /^[A-Za-z0-9-]{1,24}$/),
    entry: clean(data.entry, /^[A-Za-z0-9]{4,16}$/),
    colour: readableColour(data.colour),
    startOpen: data.open === "true",
    title: (data.title || "What matters to you").slice(0, 60)
  };

  /* --- colours: accept a custom colour only when white text on it passes WCAG AA (4.5:1) --- */
  function readableColour(value) {
    var match = /^#([0-9a-f]{6})$/i.exec((value || "").trim());
    if (!match) { return ""; }
    var channels = [0, 2, 4].map(function (i) {
      var c = parseInt(match[1].substr(i, 2), 16) / 255;
      return c <= 0.03928 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4);
    });
    var luminance = 0.2126 * channels[0] + 0.7152 * channels[1] + 0.0722 * channels[2];
    return 1.05 / (luminance + 0.05) >= 4.5 ? value.trim() : "";
  }

  /* --- small DOM helpers --- */
  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined) { node.textContent = text; }
    return node;
  }

  var URL_PATTERN = /https?:\/\/[^\s<>"']+/g;

  /* Text as paragraphs (one per line), with http(s) links as real links. */
  function addText(parent, text) {
    text.split(/\n+/).forEach(function (line) {
      if (!line.trim()) { return; }
      var p = el("p");
      var last = 0;
      line.replace(URL_PATTERN, function (found, at) {
        var url = found.replace(/[.,;:!?)]+$/, "");
        var parsed = null;
        try { parsed = new URL(url); } catch (e) { parsed = null; }
        if (!parsed || (parsed.protocol !== "http:" && parsed.protocol !== "https:")) { return found; }
        p.appendChild(document.createTextNode(line.slice(last, at)));
        var a = el("a", "", url);
        a.href = parsed.href;
        a.target = "_blank";
        a.rel = "noopener noreferrer";
        p.appendChild(a);
        last = at + url.length;
        return found;
      });
      p.appendChild(document.createTextNode(line.slice(last)));
      parent.appendChild(p);
    });
  }

  function normal(text) {
    return (text || "").toLowerCase().replace(/\s+/g, " ");
  }

  function newId() {
    var bytes = new Uint8Array(16);
    (window.crypto || window.msCrypto).getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }

  /* --- what this device remembers (localStorage): the session id, the transcript, the outbox --- */
  var storageKey = "whatmatters-chat:" + options.socketUrl;

  function fresh() {
    return { v: 1, sessionId: newId(), transcript: [], step: 0, outbox: [], started: false, open: options.startOpen, draft: "" };
  }

  function load() {
    try {
      var saved = JSON.parse(window.localStorage.getItem(storageKey) || "null");
      return saved && saved.v === 1 && typeof saved.sessionId === "string" ? saved : null;
    } catch (e) { return null; }
  }

  var state = load() || fresh();

  /* A message that had left when the page was closed may have arrived: it is not sent again. */
  (function settleAfterReload() {
    var heardBack = state.transcript.some(function (e) { return e.who === "bot"; });
    state.outbox = state.outbox.filter(function (item) {
      if (!item.leftAt || (item.hidden && !heardBack)) { return true; }
      state.transcript.forEach(function (e) { if (e.id === item.id) { e.status = "unsure"; } });
      return false;
    });
  })();

  function save() {
    try {
      state.transcript = state.transcript.slice(-300);
      window.localStorage.setItem(storageKey, JSON.stringify(state, function (key, value) {
        return key === "node" || key === "group" ? undefined : value;
      }));
    } catch (e) { /* private browsing: the chat still works, it just won't survive a reload */ }
  }

  /* --- reading the bot's messages --- */
  function isCrisis(text) { return text.indexOf("999") >= 0 && text.indexOf("116 123") >= 0; }

  function stepOf(text) {
    var t = normal(text);
    if (t.indexOf("your reference is") >= 0) { return options.steps.length; }
    for (var i = 0; i < options.steps.length; i++) {
      var markers = options.steps[i].markers || [];
      for (var j = 0; j < markers.length; j++) {
        if (markers[j] && t.indexOf(markers[j]) >= 0) { return i; }
      }
    }
    return -1;
  }

  function isMulti(text) {
    var t = normal(text);
    return options.steps.some(function (step) {
      return (step.multi || []).some(function (m) { return m && t.indexOf(m) >= 0; });
    });
  }

  /* ================================ the user interface ================================ */
  var ui = {};
  var root;

  function build(container) {
    var shadow = container.attachShadow ? container.attachShadow({ mode: "open" }) : container;
    var link = el("link");
    link.rel = "stylesheet";
    link.href = assets + "widget.css";
    shadow.appendChild(link);

    root = el("div", "wm wm-" + options.mode);
    root.hidden = true;
    function reveal() { root.hidden = false; scrollDown(true); }
    link.addEventListener("load", reveal);
    link.addEventListener("error", reveal);
    if (options.colour) { root.style.setProperty("--wm-accent", options.colour); }
    shadow.appendChild(root);

    if (options.mode === "embed") {
      ui.launcher = el("button", "wm-launcher");
      ui.launcher.type = "button";
      ui.launcher.setAttribute("aria-controls", "wm-panel");
      ui.launcher.setAttribute("aria-expanded", "false");
      ui.launcher.appendChild(el("span", "wm-launcher-icon", "\u{1F4AC}")).setAttribute("aria-hidden", "true");
      ui.launcher.appendChild(el("span", "", options.title));
      ui.launcher.addEventListener("click", function () { setOpen(!state.open, true); });
      root.appendChild(ui.launcher);
    }

    var panel = ui.panel = el("section", "wm-panel");
    panel.id = "wm-panel";
    panel.setAttribute("aria-labelledby", "wm-title");
    root.appendChild(panel);

    var header = el("div", "wm-header");
    var heading = el("h2", options.mode === "page" ? "wm-vh" : "wm-title", options.mode === "page" ? "Chat" : options.title);
    heading.id = "wm-title";
    header.appendChild(heading);
    var actions = el("div", "wm-actions");
    var privacy = el("a", "wm-link", "How we use your answers");
    privacy.href = options.privacyUrl;
    privacy.target = options.mode === "embed" ? "_blank" : "_self";
    if (options.mode === "embed") { privacy.rel = "noopener"; }
    if (options.mode === "embed") { actions.appendChild(privacy); }
    ui.restart = el("button", "wm-quiet", "Start again");
    ui.restart.type = "button";
    ui.restart.addEventListener("click", askRestart);
    actions.appendChild(ui.restart);
    if (options.mode === "embed") {
      var close = el("button", "wm-quiet", "Close");
      close.type = "button";
      close.setAttribute("aria-label", "Close the chat");
      close.addEventListener("click", function () { setOpen(false, true); });
      actions.appendChild(close);
    }
    header.appendChild(actions);
    panel.appendChild(header);

    var progress = el("div", "wm-progress");
    ui.progressLabel = el("p", "wm-progress-label");
    ui.progressLabel.id = "wm-progress-label";
    ui.progressBar = el("progress", "wm-progress-bar");
    ui.progressBar.max = Math.max(1, options.steps.length);
    ui.progressBar.setAttribute("aria-labelledby", "wm-progress-label");
    progress.appendChild(ui.progressLabel);
    progress.appendChild(ui.progressBar);
    panel.appendChild(progress);

    ui.status = el("div", "wm-status");
    ui.status.setAttribute("role", "status");
    panel.appendChild(ui.status);

    ui.restartBox = el("div", "wm-restart");
    ui.restartBox.hidden = true;
    var question = el("p", "", "Start a new conversation? This clears the chat from this device and starts the questions from the beginning.");
    question.id = "wm-restart-question";
    question.tabIndex = -1;
    ui.restartQuestion = question;
    ui.restartBox.setAttribute("role", "group");
    ui.restartBox.setAttribute("aria-labelledby", "wm-restart-question");
    var yes = el("button", "wm-button", "Yes, start again");
    yes.type = "button";
    yes.addEventListener("click", restart);
    var no = el("button", "wm-quiet", "No, carry on");
    no.type = "button";
    no.addEventListener("click", function () { ui.restartBox.hidden = true; ui.restart.focus(); });
    ui.restartBox.appendChild(question);
    ui.restartBox.appendChild(yes);
    ui.restartBox.appendChild(no);
    panel.appendChild(ui.restartBox);

    ui.scroll = el("div", "wm-scroll");
    ui.scroll.tabIndex = 0;
    ui.scroll.setAttribute("role", "region");
    ui.scroll.setAttribute("aria-label", "Conversation");
    ui.log = el("ol", "wm-log");
    ui.scroll.appendChild(ui.log);
    ui.typing = el("div", "wm-typing");
    ui.typing.hidden = true;
    var dots = el("span", "wm-dots");
    dots.setAttribute("aria-hidden", "true");
    dots.appendChild(el("span"));
    dots.appendChild(el("span"));
    dots.appendChild(el("span"));
    ui.typing.appendChild(dots);
    ui.typing.appendChild(el("span", "", "The helper is writing\u2026"));
    ui.scroll.appendChild(ui.typing);
    panel.appendChild(ui.scroll);

    ui.live = el("div", "wm-vh");
    ui.live.setAttribute("aria-live", "polite");
    ui.live.setAttribute("aria-relevant", "additions");
    panel.appendChild(ui.live);

    var form = ui.form = el("form", "wm-compose");
    form.noValidate = true;
    var label = el("label", "wm-label", "Type your answer");
    label.htmlFor = "wm-input";
    ui.input = el("textarea", "wm-input");
    ui.input.id = "wm-input";
    ui.input.rows = 2;
    ui.input.setAttribute("autocomplete", "off");
    ui.input.value = state.draft || "";
    ui.input.addEventListener("input", function () { state.draft = ui.input.value; save(); });
    ui.input.addEventListener("keydown", function (event) {
      if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        submitTyped();
      }
    });
    ui.send = el("button", "wm-button wm-send", "Send");
    ui.send.type = "submit";
    form.addEventListener("submit", function (event) { event.preventDefault(); submitTyped(); });
    form.appendChild(label);
    var row = el("div", "wm-compose-row");
    row.appendChild(ui.input);
    row.appendChild(ui.send);
    form.appendChild(row);
    panel.appendChild(form);

    panel.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && options.mode === "embed") { setOpen(false, true); }
    });

    state.transcript.forEach(function (entry) { ui.log.appendChild(renderEntry(entry, false)); });
    showStep();
    setOpen(options.mode === "page" || state.open, false);
    scrollDown();
  }

  function setOpen(open, moveFocus) {
    state.open = open;
    save();
    ui.panel.hidden = !open;
    if (ui.launcher) {
      ui.launcher.setAttribute("aria-expanded", open ? "true" : "false");
      ui.launcher.hidden = open && window.matchMedia("(max-width: 30em)").matches;
    }
    if (open) {
      scrollDown();
      if (moveFocus) { ui.input.focus(); }
    } else if (moveFocus && ui.launcher) {
      ui.launcher.hidden = false;
      ui.launcher.focus();
    }
  }

  function showStep() {
    var total = options.steps.length;
    if (!total) { ui.progressLabel.parentNode.hidden = true; return; }
    if (state.step >= total) {
      ui.progressLabel.textContent = "All done: your answers are sent";
      ui.progressBar.value = total;
      return;
    }
    var step = Math.max(0, state.step);
    ui.progressLabel.textContent = "Part " + (step + 1) + " of " + total + ": " + options.steps[step].title;
    ui.progressBar.value = step + 1;
  }

  function scrollDown(instant) {
    var reduce = instant === true || window.matchMedia("(prefers-reduced-motion: reduce)").matches;
    ui.scroll.scrollTo({ top: ui.scroll.scrollHeight, behavior: reduce ? "auto" : "smooth" });
  }

  var STATUS_WORDS = {
    waiting: "Not sent yet: it will go as soon as we are connected again.",
    sending: "",
    sent: "",
    unsure: "We could not check this arrived. If the helper does not reply, send it again."
  };

  function renderEntry(entry, live) {
    var li = el("li", "wm-msg wm-" + entry.who);
    li.appendChild(el("span", "wm-vh", entry.who === "bot" ? "The helper said: " : "You said: "));
    var body;
    if (entry.crisis) {
      body = el("div", "wm-crisis");
      if (live) { body.setAttribute("role", "alert"); }
      body.appendChild(el("p", "wm-crisis-title", "If you need help now"));
    } else {
      body = el("div", "wm-bubble");
    }
    addText(body, entry.text);
    li.appendChild(body);
    if (entry.who === "me") {
      var note = el("p", "wm-note", STATUS_WORDS[entry.status] || "");
      note.hidden = !note.textContent;
      li.appendChild(note);
      entry.node = note;
    }
    if (entry.who === "bot" && entry.buttons && entry.buttons.length) {
      li.appendChild(renderReplies(entry));
    }
    return li;
  }

  function renderReplies(entry) {
    var group = el("div", "wm-replies");
    group.setAttribute("role", "group");
    group.setAttribute("aria-label", entry.multi ? "Choose one or more answers" : "Choose an answer");
    var chosen = entry.chosen || [];
    var picked = [];
    var sendChoices = null;
    entry.buttons.forEach(function (button) {
      var b = el("button", "wm-reply", button.title);
      b.type = "button";
      if (chosen.indexOf(button.title) >= 0) { b.classList.add("wm-chosen"); }
      if (entry.answered) {
        b.disabled = true;
      } else if (entry.multi) {
        b.setAttribute("aria-pressed", "false");
        b.addEventListener("click", function () {
          var on = b.getAttribute("aria-pressed") !== "true";
          b.setAttribute("aria-pressed", on ? "true" : "false");
          if (on) { picked.push(button); } else { picked.splice(picked.indexOf(button), 1); }
          sendChoices.disabled = picked.length === 0;
        });
      } else {
        b.addEventListener("click", function () { answerWith(entry, [button]); });
      }
      group.appendChild(b);
    });
    if (entry.multi && !entry.answered) {
      sendChoices = el("button", "wm-button wm-send-choices", "Send my choices");
      sendChoices.type = "button";
      sendChoices.disabled = true;
      sendChoices.addEventListener("click", function () {
        if (picked.length) {
          var ordered = entry.buttons.filter(function (b) { return picked.indexOf(b) >= 0; });
          answerWith(entry, ordered);
        }
      });
      group.appendChild(sendChoices);
    }
    entry.group = group;
    return group;
  }

  /* Once the patient answers (by button or typing), earlier buttons can't be used again. */
  function closeReplies(entry, chosenTitles) {
    state.transcript.forEach(function (item) {
      if (item.who !== "bot" || !item.buttons || !item.buttons.length || item.answered) { return; }
      item.answered = true;
      if (item === entry) { item.chosen = chosenTitles; }
      var group = item.group;
      if (group) {
        var fresh = renderReplies(item);
        group.parentNode.replaceChild(fresh, group);
      }
    });
  }

  var focusButtonsNext = false;

  function answerWith(entry, buttons) {
    var titles = buttons.map(function (b) { return b.title; });
    var payload = buttons.map(function (b) { return b.payload; }).join(", ");
    closeReplies(entry, titles);
    focusButtonsNext = true;
    ui.input.focus();
    say(payload, titles.join(", "));
  }

  function submitTyped() {
    var text = ui.input.value.trim();
    if (!text) { ui.input.focus(); return; }
    ui.input.value = "";
    state.draft = "";
    focusButtonsNext = false;
    closeReplies(null, []);
    say(text, text);
    ui.input.focus();
  }

  /* ================================ talking to Rasa ================================ */
  var socket = null;
  var ready = false;
  var inflight = null;
  var calmTimer = null;

  function setStatus(kind) {
    clearTimeout(calmTimer);
    root.classList.toggle("wm-offline", kind === "offline");
    var words = {
      connecting: "",
      offline: "We can't reach the helper at the moment. We'll keep trying. Anything you send will wait here and go as soon as we're back.",
      back: "Connected again. You can carry on.",
      online: ""
    }[kind];
    ui.status.textContent = words;
    ui.status.className = "wm-status" + (words ? " wm-status-" + kind : "");
    if (kind === "back") { calmTimer = setTimeout(function () { setStatus("online"); }, 10000); }
    showLatest(true);  /* the banner takes room: keep the newest messages in view */
  }

  function metadata() {
    var meta = {};
    if (options.practice) { meta.practice = options.practice; }
    if (options.ref) { meta.ref = options.ref; }
    if (options.entry) { meta.entry = options.entry; }  /* the poster or link they started from: their team */
    return meta;
  }

  /* Put a message in the outbox; it is sent once, when connected. */
  function say(payload, shown) {
    crisisItem = null;
    var item = { id: newId(), text: payload, hidden: shown === null };
    if (!item.hidden) {
      var entry = { who: "me", text: shown, id: item.id, status: ready ? "sending" : "waiting" };
      state.transcript.push(entry);
      ui.log.appendChild(renderEntry(entry, false));
      scrollDown();
    }
    state.outbox.push(item);
    save();
    flush();
  }

  function markEntry(id, status) {
    state.transcript.forEach(function (entry) {
      if (entry.id === id) {
        entry.status = status;
        if (entry.node) {
          entry.node.textContent = STATUS_WORDS[status] || "";
          entry.node.hidden = !entry.node.textContent;
        }
      }
    });
  }

  function flush() {
    if (!ready || inflight || !state.outbox.length) { return; }
    var item = inflight = state.outbox[0];
    item.leftAt = Date.now();
    save();
    markEntry(item.id, "sending");
    ui.typing.hidden = false;
    scrollDown();
    socket.emit("user_uttered", { message: item.text, session_id: state.sessionId, metadata: metadata() }, function () {
      if (inflight !== item) { return; }
      inflight = null;
      state.outbox.shift();
      markEntry(item.id, "sent");
      ui.typing.hidden = true;
      save();
      flush();
    });
  }

  /* A message that left but was never acknowledged may or may not have arrived: never send it again by itself. */
  function dropInflight() {
    if (!inflight) { return; }
    var item = inflight;
    inflight = null;
    state.outbox = state.outbox.filter(function (o) { return o !== item && o.id !== item.id; });
    ui.typing.hidden = true;
    var heardBack = state.transcript.some(function (e) { return e.who === "bot"; });
    if (item.hidden && !heardBack) {
      state.outbox.unshift(item);  /* the opening hello: harmless to send again before any reply */
    } else if (!item.hidden) {
      markEntry(item.id, "unsure");
    }
    save();
  }

  function onBotMessage(message) {
    if (!message || typeof message !== "object") { return; }
    var text = typeof message.text === "string" ? message.text : "";
    var raw = Array.isArray(message.quick_replies) ? message.quick_replies : (Array.isArray(message.buttons) ? message.buttons : []);
    var buttons = raw.filter(function (b) { return b && typeof b.title === "string"; }).map(function (b) {
      return { title: b.title, payload: typeof b.payload === "string" ? b.payload : b.title };
    });
    if (!text && !buttons.length) { return; }
    if (options.ref && options.referralMarker && normal(text).indexOf(options.referralMarker) >= 0) {
      buttons.unshift({ title: "My code is " + options.ref, payload: options.ref });
    }
    var entry = { who: "bot", text: text, buttons: buttons, crisis: isCrisis(text), multi: buttons.length > 1 && isMulti(text) };
    var step = stepOf(text);
    if (step >= 0) { state.step = step; showStep(); }
    state.transcript.push(entry);
    save();
    var item = ui.log.appendChild(renderEntry(entry, true));
    if (entry.crisis) { crisisItem = item; } else { announce(text); }
    showLatest();
    if (buttons.length && focusButtonsNext && (ui.root().activeElement === ui.input || !ui.root().activeElement) && !ui.input.value) {
      focusButtonsNext = false;
      entry.group.querySelector("button").focus();
    }
  }

  /* The crisis response stays in view (top of the conversation) until the patient writes again. */
  var crisisItem = null;

  function showLatest(instant) {
    if (crisisItem) {
      ui.scroll.scrollTop = crisisItem.offsetTop - 8;
    } else {
      scrollDown(instant);
    }
  }

  function announce(text) {
    var p = el("p", "", text);
    ui.live.appendChild(p);
    while (ui.live.childNodes.length > 4) { ui.live.removeChild(ui.live.firstChild); }
  }

  function connect(io) {
    socket = io(options.socketUrl, {
      path: "/socket.io",
      transports: ["websocket"],
      reconnection: true,
      reconnectionDelay: 1000,
      reconnectionDelayMax: 8000,
      randomizationFactor: 0.5,
      timeout: 10000,
      autoConnect: false
    });
    socket.on("connect", function () {
      ready = false;
      socket.emit("session_request", { session_id: state.sessionId });
    });
    socket.on("session_confirm", function (id) {
      var confirmed = typeof id === "string" ? id : (id && id.session_id);
      if (confirmed && confirmed !== state.sessionId) { return; }
      ready = true;
      setStatus(root.classList.contains("wm-offline") ? "back" : "online");
      state.outbox.forEach(function (item) { markEntry(item.id, "sending"); });
      flush();
    });
    socket.on("bot_uttered", onBotMessage);
    socket.on("disconnect", function (reason) {
      ready = false;
      dropInflight();
      state.outbox.forEach(function (item) { markEntry(item.id, "waiting"); });
      if (reason !== "io client disconnect") { setStatus("offline"); }
      if (reason === "io server disconnect") { socket.connect(); }
    });
    socket.on("connect_error", function () {
      ready = false;
      setStatus("offline");
    });
    if (!state.started) {
      state.started = true;
      say("hello", null);
    }
    socket.connect();
  }

  function askRestart() {
    ui.restartBox.hidden = false;
    ui.restartQuestion.focus();
  }

  function restart() {
    socket.disconnect();
    ready = false;
    inflight = null;
    var wasOpen = state.open;
    state = fresh();
    state.open = wasOpen;
    ui.log.textContent = "";
    ui.live.textContent = "";
    ui.input.value = "";
    ui.typing.hidden = true;
    ui.restartBox.hidden = true;
    showStep();
    setStatus("online");
    state.started = true;
    save();
    say("hello", null);
    socket.connect();
    ui.input.focus();
  }

  /* ================================ start ================================ */
  function start(io) {
    var container;
    if (options.mode === "page") {
      container = document.getElementById(options.target);
      if (!container) { return; }
    } else {
      container = el("div");
      container.id = "whatmatters-chat";
      document.body.appendChild(container);
    }
    build(container);
    ui.root = function () { return container.shadowRoot || document; };
    if (io) {
      connect(io);
    } else {
      setStatus("offline");
    }
  }

  function withSocketIo(then) {
    var previous = window.io;
    var tag = document.createElement("script");
    tag.src = assets + "socket.io.min.js";
    tag.async = true;
    tag.onload = function () {
      var io = window.io;
      if (previous) { window.io = previous; }
      then(io);
    };
    tag.onerror = function () {
      then(null);
    };
    document.head.appendChild(tag);
  }

  function begin() {
    withSocketIo(start);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", begin);
  } else {
    begin();
  }
})();
