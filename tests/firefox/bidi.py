"""A small WebDriver BiDi client: enough of the W3C protocol to test the webmail in Firefox.

Firefox speaks BiDi itself (no geckodriver) when started with --remote-debugging-port; the
endpoint is ws://HOST:PORT/session. Every message is JSON: a command {id, method, params}
gets exactly one reply {type: "success"|"error", id, ...}, and events {type: "event",
method, params} arrive in between, in order. So this client is synchronous and single
threaded: `command` sends, then reads until its reply, keeping the events it meets in
`Session.events`. An event sent before a reply is always read before it, so after any
command the list holds everything the browser reported until then.

Spec: https://w3c.github.io/webdriver-bidi/ (modules session, browser, browsingContext,
script, input, log). Method and field names below are the spec's.
"""
import itertools
import json
import time

from tests.firefox.websocket import WebSocket

# WebDriver's key codes for non-printing keys (WebDriver spec, "Keyboard actions").
KEYS = {"Enter": "\ue007", "Tab": "\ue004", "Backspace": "\ue003", "Escape": "\ue00c",
        "Control": "\ue009", "Home": "\ue011", "ArrowDown": "\ue015"}


class BiDiError(Exception):
    def __init__(self, error, message):
        super().__init__(f"{error}: {message}")
        self.error = error


class Session:
    """One BiDi connection, with a WebDriver session opened on it."""

    def __init__(self, host, port, timeout=30.0):
        self.ws = WebSocket(host, port, "/session", timeout=timeout)
        self.ids = itertools.count(1)
        self.events = []
        # "dismiss": an alert() that somehow opened must not block the next command.
        self.command("session.new", capabilities={"alwaysMatch": {
            "unhandledPromptBehavior": {"default": "dismiss"}}})
        self.command("session.subscribe", events=[
            "log.entryAdded", "browsingContext.userPromptOpened", "browsingContext.contextCreated",
            "network.beforeRequestSent", "network.responseCompleted"])

    def command(self, method, **params):
        command_id = next(self.ids)
        self.ws.send(json.dumps({"id": command_id, "method": method, "params": params}))
        while True:
            message = json.loads(self.ws.recv())
            if message.get("type") == "event":
                self.events.append(message)
            elif message.get("id") == command_id:
                if message["type"] == "error":
                    raise BiDiError(message["error"], message.get("message", ""))
                return message["result"]

    def end(self):
        """End this WebDriver session; the browser stays up for the next one."""
        try:
            self.command("session.end")
        finally:
            self.ws.close()

    def close_browser(self):
        """Ask Firefox to quit (it ends the session too), then hang up."""
        try:
            self.command("browser.close")
        finally:
            self.ws.close()


def from_remote(value):
    """A BiDi RemoteValue (script module, "Serialization") as a Python value."""
    kind = value["type"]
    if kind in ("undefined", "null"):
        return None
    if kind in ("string", "boolean"):
        return value["value"]
    if kind == "number":
        number = value["value"]
        return float(number.replace("Infinity", "inf")) if isinstance(number, str) else number
    if kind in ("array", "set"):
        return [from_remote(item) for item in value.get("value", [])]
    if kind in ("object", "map"):
        return {key if isinstance(key, str) else from_remote(key): from_remote(item)
                for key, item in value.get("value", [])}
    return value  # node, window, function...: kept as the remote reference itself


def where(entry):
    """The innermost script position of a log entry, "URL:LINE:COLUMN" (1-based)."""
    frames = (entry.get("stackTrace") or {}).get("callFrames") or [{}]
    frame = frames[0]
    return f"{frame.get('url', '?')}:{frame.get('lineNumber', -1) + 1}:{frame.get('columnNumber', -1) + 1}"


class Tab:
    """A top-level browsing context in its own user context (a fresh cookie jar, like a
    private window), so one test's sign-in never leaks into the next."""

    def __init__(self, session, base_url=""):
        self.session = session
        self.base_url = base_url
        self.user_context = session.command("browser.createUserContext")["userContext"]
        self.context = session.command("browsingContext.create", type="tab",
                                       userContext=self.user_context)["context"]
        self.first_event = len(session.events)

    def close(self):
        self.session.command("browsingContext.close", context=self.context)
        self.session.command("browser.removeUserContext", userContext=self.user_context)

    # --- Navigation and frames -------------------------------------------------------
    def goto(self, url):
        self.session.command("browsingContext.navigate", context=self.context,
                             url=self.base_url + url if url.startswith("/") else url, wait="complete")

    @property
    def url(self):
        return self.evaluate("location.href")

    def frames(self):
        """The child browsing contexts (iframes) of the page: [{context, url}, ...]."""
        (tree,) = self.session.command("browsingContext.getTree", root=self.context)["contexts"]
        return [{"context": child["context"], "url": child["url"]} for child in tree["children"] or []]

    def set_viewport(self, width, height):
        self.session.command("browsingContext.setViewport", context=self.context,
                             viewport={"width": width, "height": height})

    # --- Script --------------------------------------------------------------------
    def _target(self, frame, sandbox):
        target = {"context": frame or self.context}
        if sandbox:
            # A sandbox realm sees the frame's DOM but not its scripts' globals, and can run
            # even where the page may not (a sandboxed iframe without allow-scripts).
            target["sandbox"] = sandbox
        return target

    def _result(self, reply):
        if reply["type"] == "exception":
            details = reply["exceptionDetails"]
            raise BiDiError("javascript error", details.get("text", "") or str(details["exception"]))
        return from_remote(reply["result"])

    def evaluate(self, expression, frame=None, sandbox=None):
        """The value of a JavaScript expression (promises awaited) in the page or a frame."""
        return self._result(self.session.command(
            "script.evaluate", expression=expression, awaitPromise=True,
            target=self._target(frame, sandbox), resultOwnership="root"))

    def call(self, function, *arguments, frame=None, sandbox=None):
        """Call a JavaScript function source with string/number/node arguments."""
        args = [argument if isinstance(argument, dict) else
                {"type": "string" if isinstance(argument, str) else "number", "value": argument}
                for argument in arguments]
        return self._result(self.session.command(
            "script.callFunction", functionDeclaration=function, arguments=args, awaitPromise=True,
            target=self._target(frame, sandbox), resultOwnership="root"))

    def element(self, selector):
        """A node reference ({type: "node", sharedId, ...}) for the first match, or fail."""
        node = self.call("s => document.querySelector(s)", selector)
        if not node:
            raise AssertionError(f"no element matches {selector!r} on {self.url}")
        return node

    def text(self, selector):
        return self.call("el => el.innerText", self.element(selector))

    def value(self, selector):
        return self.call("el => el.value", self.element(selector))

    def wait_for(self, expression, timeout=10.0):
        """Poll a JavaScript expression until it is truthy. Errors while a new page loads
        (the old realm is gone) are part of waiting, not failures."""
        deadline = time.monotonic() + timeout
        last = None
        while time.monotonic() < deadline:
            try:
                result = self.evaluate(expression)
                if result:
                    return result
            except BiDiError as error:
                last = error
            time.sleep(0.05)
        raise AssertionError(f"timed out waiting for {expression!r} (last error: {last}) on {self.url}")

    def wait_for_url(self, fragment, timeout=10.0):
        return self.wait_for(f"location.href.includes({json.dumps(fragment)}) && "
                             "document.readyState === 'complete'", timeout)

    # --- Input: real key and pointer events through the browser (input module) -------
    def _perform(self, *sources):
        self.session.command("input.performActions", context=self.context, actions=list(sources))

    def press(self, *keys):
        """Press and release each key in turn: a character, or a name from KEYS."""
        actions = []
        for key in keys:
            value = KEYS.get(key, key)
            actions += [{"type": "keyDown", "value": value}, {"type": "keyUp", "value": value}]
        self._perform({"type": "key", "id": "keyboard", "actions": actions})

    def pointer_at(self, x, y, click=False):
        """Move the mouse to viewport coordinates (CSS pixels), and click there if asked:
        the way to reach into a cross-origin frame, whose elements the page cannot name."""
        actions = [{"type": "pointerMove", "x": round(x), "y": round(y), "origin": "viewport"}]
        if click:
            actions += [{"type": "pointerDown", "button": 0}, {"type": "pointerUp", "button": 0}]
        self._perform({"type": "pointer", "id": "mouse", "parameters": {"pointerType": "mouse"},
                       "actions": actions})

    def point_in_frame(self, iframe_selector, frame, selector):
        """Viewport coordinates of the centre of an element inside an iframe."""
        left, top = self.call("el => (r => [r.left, r.top])(el.getBoundingClientRect())", self.element(iframe_selector))
        x, y = self.call("s => (r => [r.left + r.width / 2, r.top + r.height / 2])"
                         "(document.querySelector(s).getBoundingClientRect())", selector, frame=frame, sandbox="point")
        return left + x, top + y

    def visible(self, selector):
        return self.call("el => !!el && el.getClientRects().length > 0 && "
                         "getComputedStyle(el).visibility !== 'hidden'", self.element(selector))

    def type(self, selector, text):
        """Focus a field and type text into it, key by key."""
        self.call("el => el.focus()", self.element(selector))
        self.press(*text)

    def click(self, selector):
        """Move the mouse to the element's centre and click it with the left button."""
        node = self.element(selector)
        self.call("el => el.scrollIntoView({block: 'center'})", node)
        origin = {"type": "element", "element": {"sharedId": node["sharedId"]}}
        self._perform({"type": "pointer", "id": "mouse", "parameters": {"pointerType": "mouse"}, "actions": [
            {"type": "pointerMove", "x": 0, "y": 0, "origin": origin},
            {"type": "pointerDown", "button": 0}, {"type": "pointerUp", "button": 0}]})

    # --- What the browser reported ---------------------------------------------------
    def events(self, method):
        self.session.command("session.status")  # flush: events sent before this reply are read
        return [event["params"] for event in self.session.events[self.first_event:]
                if event["method"] == method]

    def errors(self):
        """Uncaught JavaScript errors and console.error calls since this tab opened."""
        return [f"{entry['type']}: {entry['text']} at {where(entry)}" for entry in self.events("log.entryAdded")
                if entry["type"] == "javascript" or entry["level"] == "error"]

    def requests(self):
        """Every request the tab made (pages, frames, scripts, images, fetches), as
        "METHOD URL", in the order the browser sent them."""
        return [f"{event['request']['method']} {event['request']['url']}"
                for event in self.events("network.beforeRequestSent")]

    def popups(self):
        """Top-level browsing contexts (tabs, windows) opened since this tab was."""
        return [event["url"] for event in self.events("browsingContext.contextCreated")
                if event["parent"] is None and event["context"] != self.context]

    def wait_for_request(self, fragment, done=True, timeout=10.0):
        """Wait until a request whose URL contains fragment has been answered (done) or
        only sent: what a script fetches in the background shows in no URL."""
        method = "network.responseCompleted" if done else "network.beforeRequestSent"
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if any(fragment in event["request"]["url"] for event in self.events(method)):
                return
            time.sleep(0.05)
        raise AssertionError(f"no request for {fragment!r} within {timeout:.0f} s")

    def dialogs(self):
        return [event["message"] for event in self.events("browsingContext.userPromptOpened")]
