// The voice recorder (templates/recordings/_recorder.html): asks for the microphone, shows a live
// level and the elapsed time, and sends the recording when the candidate stops or time runs out.
// The server stores it before anything else and transcribes it in the background; the fragment
// it answers with polls its progress (htmx) and then offers the transcript to correct and grade.
(function () {
  "use strict";

  var TYPES = ["audio/webm;codecs=opus", "audio/webm", "audio/ogg;codecs=opus", "audio/mp4"];

  function format(seconds) {
    var whole = Math.max(0, Math.floor(seconds));
    var rest = whole % 60;
    return Math.floor(whole / 60) + ":" + (rest < 10 ? "0" : "") + rest;
  }

  function csrfToken() {
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.getAttribute("content") : null;
  }

  function recordingType() {
    if (!window.MediaRecorder || !MediaRecorder.isTypeSupported) return "";
    for (var i = 0; i < TYPES.length; i++) {
      if (MediaRecorder.isTypeSupported(TYPES[i])) return TYPES[i];
    }
    return "";
  }

  // What to tell the candidate when the microphone cannot be had, by the browser's error name.
  function microphoneProblem(error) {
    var name = error && error.name;
    if (name === "NotAllowedError" || name === "SecurityError") {
      return "The microphone is blocked for this page. Allow it in the browser's site settings " +
        "(the icon beside the address), then press Record again, or type your answer instead.";
    }
    if (name === "NotFoundError" || name === "OverconstrainedError") {
      return "No microphone was found. Plug one in and press Record again, or type your answer.";
    }
    if (name === "NotReadableError") {
      return "The microphone is in use by another program, or failed. Close that program and try again.";
    }
    return "The microphone could not be used (" + (error && error.message || name || "unknown error") + ").";
  }

  function setup(box) {
    var record = box.querySelector("[data-record]");
    var stop = box.querySelector("[data-stop]");
    var level = box.querySelector("[data-level]");
    var elapsed = box.querySelector("[data-elapsed]");
    var message = box.querySelector("[data-recorder-message]");
    var slot = box.querySelector("[data-recording-slot]");
    var maxSeconds = parseFloat(box.getAttribute("data-max-seconds")) || 0;
    // ``answering``: from Record until the server refused the recording (or never got it), the
    // voice answer is the one in progress, so the session's timeout must not submit the text.
    var state = { recorder: null, stream: null, context: null, ticker: null, frame: null, started: 0, answering: false };
    box.hidden = false;
    box.recorder = state;

    function say(text, isError) {
      message.textContent = text;
      message.classList.toggle("is-error", Boolean(isError));
      message.setAttribute("role", isError ? "alert" : "status");
    }

    if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia || !window.MediaRecorder) {
      record.disabled = true;
      say("This browser cannot record audio here (it needs a secure page, https or localhost). Type your answer instead.", true);
      return;
    }

    function meter(stream) {
      var Context = window.AudioContext || window.webkitAudioContext;
      if (!Context) return;
      state.context = new Context();
      var analyser = state.context.createAnalyser();
      analyser.fftSize = 1024;
      state.context.createMediaStreamSource(stream).connect(analyser);
      var samples = new Float32Array(analyser.fftSize);
      function draw() {
        analyser.getFloatTimeDomainData(samples);
        var sum = 0;
        for (var i = 0; i < samples.length; i++) sum += samples[i] * samples[i];
        var rms = Math.sqrt(sum / samples.length);
        // A speaking voice sits around -30 to -10 dBFS: show that range across the bar.
        var db = 20 * Math.log10(Math.max(rms, 1e-5));
        var share = Math.min(1, Math.max(0, (db + 60) / 55));
        level.style.width = Math.round(share * 100) + "%";
        box.setAttribute("data-level-value", share.toFixed(2));
        state.frame = window.requestAnimationFrame(draw);
      }
      draw();
    }

    function release() {
      if (state.ticker) window.clearInterval(state.ticker);
      if (state.frame) window.cancelAnimationFrame(state.frame);
      if (state.stream) state.stream.getTracks().forEach(function (track) { track.stop(); });
      if (state.context) state.context.close();
      state.ticker = state.frame = state.stream = state.context = null;
      level.style.width = "0";
      box.classList.remove("is-recording");
    }

    function upload(chunks, type) {
      var blob = new Blob(chunks, { type: type || "audio/webm" });
      if (!blob.size) {
        state.answering = false;
        say("Nothing was recorded: check the microphone and try again.", true);
        return;
      }
      var data = new FormData();
      data.append("audio", blob, "answer." + (/ogg/.test(type) ? "ogg" : /mp4/.test(type) ? "m4a" : "webm"));
      ["session-id", "index", "bank", "question-id"].forEach(function (name) {
        var value = box.getAttribute("data-" + name);
        if (value !== null) data.append(name.replace("-", "_"), value);
      });
      var headers = {};
      var token = csrfToken();
      if (token) headers["X-CSRF-Token"] = token;
      say("Sending the recording…");
      box.setAttribute("data-state", "sending");
      fetch(box.getAttribute("data-upload-url"), {
        method: "POST", body: data, headers: headers, credentials: "same-origin"
      }).then(function (response) {
        return response.text().then(function (html) {
          slot.innerHTML = html;
          if (window.htmx) window.htmx.process(slot);
          say(response.ok ? "Recording saved." : "The recording was not accepted.", !response.ok);
          box.setAttribute("data-state", response.ok ? "sent" : "refused");
          state.answering = response.ok;
          record.disabled = false;
        });
      }).catch(function () {
        say("The recording could not be sent (is the app still running?). Press Record to try again.", true);
        box.setAttribute("data-state", "refused");
        state.answering = false;
        record.disabled = false;
      });
    }

    function finish(reason) {
      var recorder = state.recorder;
      if (!recorder || recorder.state === "inactive") return;
      stop.hidden = true;
      record.hidden = false;
      record.disabled = true;
      say(reason === "time" ? "Time is up: sending your recording…" : "Stopping…");
      recorder.stop();
    }

    record.addEventListener("click", function () {
      say("Asking for the microphone…");
      record.disabled = true;
      navigator.mediaDevices.getUserMedia({ audio: true }).then(function (stream) {
        var type = recordingType();
        var chunks = [];
        var recorder = new MediaRecorder(stream, type ? { mimeType: type } : {});
        state.stream = stream;
        state.recorder = recorder;
        recorder.addEventListener("dataavailable", function (event) {
          if (event.data && event.data.size) chunks.push(event.data);
        });
        recorder.addEventListener("stop", function () {
          release();
          upload(chunks, recorder.mimeType || type);
        });
        recorder.start(1000);
        state.answering = true;
        state.started = performance.now();
        meter(stream);
        state.ticker = window.setInterval(function () {
          var seconds = (performance.now() - state.started) / 1000;
          elapsed.textContent = format(seconds);
          if (maxSeconds && seconds >= maxSeconds) finish("time");
        }, 250);
        box.classList.add("is-recording");
        box.setAttribute("data-state", "recording");
        record.hidden = true;
        stop.hidden = false;
        stop.focus();
        say("Recording… press Stop and send when you are done" + (maxSeconds ? " (it is sent by itself when time runs out)." : "."));
      }).catch(function (error) {
        record.disabled = false;
        box.setAttribute("data-state", "denied");
        say(microphoneProblem(error), true);
      });
    });
    stop.addEventListener("click", function () { finish("stopped"); });

    // The session's countdown submits the typed answer when time runs out (practice.js, with no
    // submit button): a voice answer being recorded or corrected is the answer then instead.
    document.addEventListener("submit", function (event) {
      if (event.target.id !== "answer-form" || event.submitter) return;
      var recording = state.recorder && state.recorder.state === "recording";
      if (!recording && !state.answering) return;
      event.preventDefault();
      event.stopImmediatePropagation();
      var status = event.target.querySelector("[data-form-status]");
      if (status) status.textContent = "Time is up: your spoken answer goes in below.";
      if (recording) finish("time");
      else say("Time is up: submit your spoken answer below (or the typed one with Submit answer).");
    }, true);
  }

  // Errors from the recording routes come back as fragments with their status: show them in place.
  document.addEventListener("htmx:beforeSwap", function (event) {
    var target = event.detail.target;
    if (event.detail.xhr.status >= 400 && target && target.closest && target.closest("[data-recorder]")) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });

  // A question's page is cached for every visitor, so in team mode it carries no CSRF token:
  // ask for the visitor's own, for the upload and for htmx's posts (grade, retry, delete).
  function fetchToken() {
    if (csrfToken() || document.body.hasAttribute("hx-headers")) return;
    fetch("/recordings/csrf-token", { credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : {}; })
      .then(function (body) {
        if (!body.csrf_token) return;
        var meta = document.createElement("meta");
        meta.name = "csrf-token";
        meta.content = body.csrf_token;
        document.head.appendChild(meta);
        document.body.setAttribute("hx-headers", JSON.stringify({ "X-CSRF-Token": body.csrf_token }));
      })
      .catch(function () { /* the upload then says what went wrong */ });
  }

  function start() {
    var boxes = document.querySelectorAll("[data-recorder]");
    if (boxes.length) fetchToken();
    boxes.forEach(setup);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
