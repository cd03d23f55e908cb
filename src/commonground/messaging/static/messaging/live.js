// Upgrades the thread page: new messages arrive over a websocket and appear without a reload;
// the form sends through the API. Without JavaScript (or when the socket or the API fails)
// the page still works: the form posts and the page reloads. User text is only ever inserted
// as text nodes, never as HTML.
(function () {
  "use strict";
  if (!window.fetch || !window.WebSocket) return;

  function openSocket(onMessage, onState) {
    var retry = 1000;
    var socket = null;
    function connect() {
      var scheme = location.protocol === "https:" ? "wss://" : "ws://";
      socket = new WebSocket(scheme + location.host + "/ws/messages/");
      socket.onopen = function () { retry = 1000; onState(true); };
      socket.onmessage = function (event) {
        var data;
        try { data = JSON.parse(event.data); } catch (e) { return; }
        onMessage(data, socket);
      };
      socket.onclose = function (event) {
        onState(false);
        if (event.code >= 4000) return;  // refused (signed out): don't retry
        setTimeout(connect, retry);
        retry = Math.min(retry * 2, 30000);
      };
    }
    connect();
  }

  // The conversation list: on a new message, fetch the page again and swap in the list and
  // the header's Messages link (server-rendered, escaped HTML of this same page).
  var overview = document.getElementById("conversation-list");
  if (overview) {
    var refreshing = false;
    var refresh = function () {
      if (refreshing) return;
      refreshing = true;
      fetch(location.href, {credentials: "same-origin"}).then(function (response) {
        return response.ok ? response.text() : null;
      }).then(function (html) {
        if (!html) return;
        var fresh = new DOMParser().parseFromString(html, "text/html");
        var list = fresh.getElementById("conversation-list");
        if (list) overview.replaceChildren.apply(overview, Array.from(list.childNodes));
        var link = 'a[href="' + overview.dataset.index + '"]';
        var oldLink = document.querySelector(".nav " + link);
        var newLink = fresh.querySelector(".nav " + link);
        if (oldLink && newLink) oldLink.replaceChildren.apply(oldLink, Array.from(newLink.childNodes));
      }).finally(function () { refreshing = false; });
    };
    openSocket(function (data) {
      if (data.type === "message") refresh();
    }, function (on) { overview.dataset.live = on ? "on" : "off"; });
    return;
  }

  var list = document.getElementById("thread");
  var form = document.getElementById("composer");
  if (!list || !form) return;
  var conversation = list.dataset.conversation;
  var me = list.dataset.me;
  var textarea = form.querySelector("textarea");
  var errorBox = document.getElementById("composer-error");
  var status = document.getElementById("live-status");
  var csrf = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  var URL_RE = /\bhttps?:\/\/[^\s<>"']+/g;

  function appendText(parent, text) {
    var lines = text.split("\n");
    lines.forEach(function (line, i) {
      if (i > 0) parent.appendChild(document.createElement("br"));
      var last = 0;
      line.replace(URL_RE, function (url, offset) {
        parent.appendChild(document.createTextNode(line.slice(last, offset)));
        var a = document.createElement("a");
        a.href = url;
        a.rel = "nofollow ugc noopener";
        a.textContent = url;
        parent.appendChild(a);
        last = offset + url.length;
        return url;
      });
      parent.appendChild(document.createTextNode(line.slice(last)));
    });
  }

  function scrollToEnd() { list.scrollTop = list.scrollHeight; }

  function render(msg) {
    if (document.getElementById("m-" + msg.id)) return;  // already shown
    var empty = document.getElementById("thread-empty");
    if (empty) empty.remove();
    var mine = msg.sender && msg.sender.id === me;
    var li = document.createElement("li");
    li.className = "message" + (mine ? " mine" : "");
    li.id = "m-" + msg.id;
    li.dataset.id = msg.id;
    var meta = document.createElement("div");
    meta.className = "message-meta small";
    var who = document.createElement("span");
    who.className = "message-sender";
    who.textContent = mine ? "You" : msg.sender.display_name;
    var when = document.createElement("time");
    var date = new Date(msg.created_at);
    when.dateTime = msg.created_at;
    when.textContent = date.toLocaleString([], {month: "short", day: "numeric", hour: "2-digit", minute: "2-digit"});
    meta.appendChild(who);
    meta.appendChild(document.createTextNode(" · "));
    meta.appendChild(when);
    var body = document.createElement("div");
    body.className = "message-body";
    appendText(body, msg.body);
    li.appendChild(meta);
    li.appendChild(body);
    list.appendChild(li);
    scrollToEnd();
  }

  function showError(text) {
    errorBox.textContent = text || "";
    errorBox.hidden = !text;
  }

  openSocket(function (data, socket) {
    if (data.type === "message" && data.conversation === conversation) {
      render(data);
      if (document.visibilityState === "visible" && socket.readyState === 1) {
        socket.send(JSON.stringify({type: "read", conversation: conversation}));
      }
    }
  }, function (on) {
    list.dataset.live = on ? "on" : "off";
    status.textContent = on ? "Live" : "";
  });
  scrollToEnd();

  form.addEventListener("submit", function (event) {
    var body = textarea.value;
    if (!body.trim()) { event.preventDefault(); showError("Write a message first."); return; }
    event.preventDefault();
    var button = form.querySelector("button[type=submit]");
    button.disabled = true;
    fetch("/api/v1/messages/" + encodeURIComponent(conversation) + "/messages", {
      method: "POST",
      credentials: "same-origin",
      headers: {"Content-Type": "application/json", "X-CSRFToken": csrf, "Accept": "application/json"},
      body: JSON.stringify({body: body})
    }).then(function (response) {
      return response.json().then(function (data) { return {ok: response.ok, data: data}; });
    }).then(function (result) {
      if (result.ok) {
        render(result.data);
        textarea.value = "";
        showError("");
      } else {
        showError(result.data && result.data.message ? result.data.message : "Could not send. Try again.");
      }
    }).catch(function () {
      form.submit();  // the network or the API failed: fall back to the plain form
    }).finally(function () {
      button.disabled = false;
      textarea.focus();
    });
  });

  textarea.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      form.requestSubmit();
    }
  });
})();
