"""Drives headless Chromium against a running `looplab dashboard`, through the DevTools protocol
over a pipe (--remote-debugging-pipe), with Python's standard library only.

    drive_dashboard.py URL STUDY ADD_COMMAND SCREENSHOT

Loads URL/study/STUDY, checks the page shows the study's trials, runs ADD_COMMAND (a shell
command that adds trials to the study), waits for the page to show them without a reload, and
saves a screenshot after checking it is not blank. Prints "ok" and exits 0 when all held.
"""
import base64, json, os, shutil, subprocess, sys, tempfile, time, zlib, struct

url, study, add_command, screenshot = sys.argv[1:5]
browser = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
if browser is None:
    print("skip: no chromium")
    sys.exit(0)

to_browser_r, to_browser_w = os.pipe()
from_browser_r, from_browser_w = os.pipe()
profile = tempfile.mkdtemp(prefix="looplab-chromium-")

def child_fds():
    # The browser reads commands on fd 3 and writes replies on fd 4. Move our ends out of the way
    # first (one may already be 3 or 4), and keep both open across exec.
    r, w = os.dup(to_browser_r), os.dup(from_browser_w)
    os.dup2(r, 3)
    os.dup2(w, 4)
    os.set_inheritable(3, True)
    os.set_inheritable(4, True)

proc = subprocess.Popen(
    [browser, "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
     "--remote-debugging-pipe", "--user-data-dir=" + profile, "--window-size=1200,900", "about:blank"],
    preexec_fn=child_fds, close_fds=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
os.close(to_browser_r)
os.close(from_browser_w)
buffer = b""
next_id = 0

def fail(message):
    print("FAIL: " + message)
    proc.kill()
    sys.exit(1)

def send(method, params=None, session=None, timeout=30):
    global next_id, buffer
    next_id += 1
    message = {"id": next_id, "method": method, "params": params or {}}
    if session:
        message["sessionId"] = session
    os.write(to_browser_w, json.dumps(message).encode() + b"\0")
    deadline = time.time() + timeout
    while True:
        while b"\0" in buffer:
            raw, buffer = buffer.split(b"\0", 1)
            reply = json.loads(raw)
            if reply.get("id") == next_id:
                if "error" in reply:
                    fail("%s: %s" % (method, reply["error"]))
                return reply.get("result", {})
        if time.time() > deadline:
            fail("no answer to " + method)
        chunk = os.read(from_browser_r, 65536)
        if not chunk:
            fail("the browser exited")
        buffer += chunk

def text(session):
    return send("Runtime.evaluate", {"expression": "document.body ? document.body.innerText : ''", "returnByValue": True},
                session)["result"].get("value", "")

def wait_for(session, predicate, what, seconds=25):
    deadline = time.time() + seconds
    while time.time() < deadline:
        body = text(session)
        if predicate(body):
            return body
        time.sleep(0.2)
    fail("the page never showed %s; it shows:\n%s" % (what, text(session)[:2000]))

target = send("Target.createTarget", {"url": url + "/study/" + study})["targetId"]
session = send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
first = wait_for(session, lambda t: "Study " + study in t and "Trials" in t, "the study page")
if " 3 trials (3 complete)" not in first:
    fail("expected 3 complete trials first, got:\n" + first[:800])
subprocess.run(add_command, shell=True, check=True)
after = wait_for(session, lambda t: " 5 trials (5 complete)" in t, "the two new trials")
if "updated " not in text(session):
    fail("the live marker did not say the page was updated")

shot = base64.b64decode(send("Page.captureScreenshot", {"format": "png"}, session)["data"])
if shot[:8] != b"\x89PNG\r\n\x1a\n":
    fail("the screenshot is not a PNG")
width, height = struct.unpack(">II", shot[16:24])
chunks, i = b"", 8
while i < len(shot):
    length = struct.unpack(">I", shot[i:i + 4])[0]
    kind = shot[i + 4:i + 8]
    if kind == b"IDAT":
        chunks += shot[i + 8:i + 8 + length]
    i += 12 + length
pixels = zlib.decompress(chunks)
if width < 400 or height < 300 or len(set(pixels[:200000])) < 16:
    fail("the screenshot is blank (%dx%d, %d distinct bytes)" % (width, height, len(set(pixels[:200000]))))
with open(screenshot, "wb") as f:
    f.write(shot)
proc.kill()
shutil.rmtree(profile, ignore_errors=True)
print("ok")
