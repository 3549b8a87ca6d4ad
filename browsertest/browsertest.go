// Package browsertest is what the browser tests share: it finds Chromium,
// starts it headless for one test, saves screenshots under an artifacts
// directory, and checks a page for the accessibility problems every page
// must be free of. Only tests import it.
package browsertest

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// Chromium returns the path of the browser: $TEST_CHROMIUM, or the first of
// chromium, chromium-browser and google-chrome on the PATH. Without one the
// test is skipped, except under CI=true, where it fails.
func Chromium(t testing.TB) string {
	t.Helper()
	if p := os.Getenv("TEST_CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("no Chromium under CI: .ci/run installs Debian's chromium")
	}
	t.Skip("browser test skipped: set TEST_CHROMIUM or put chromium on PATH (apt-get install chromium)")
	return ""
}

// New starts a headless Chromium (see Chromium) with a window and a
// viewport of width×height, emulating a phone when mobile is set, and
// returns the context of its first tab. The browser is running when New
// returns, so contexts derived from it (a step's timeout) don't bound its
// life; it is closed when the test is cleaned up, before the cleanups
// registered ahead of New (a server it talks to, say).
func New(t testing.TB, width, height int, mobile bool) context.Context {
	t.Helper()
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(Chromium(t)), chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.Flag("disable-quic", true), chromedp.Flag("disable-component-update", true),
		chromedp.UserDataDir(t.TempDir()), chromedp.WindowSize(width, height))
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelBrowser := chromedp.NewContext(allocCtx)
	t.Cleanup(func() {
		cancelBrowser()
		cancelAlloc()
	})
	if err := chromedp.Do(ctx, Viewport(width, height, mobile)); err != nil {
		t.Fatalf("start the browser: %v", err)
	}
	return ctx
}

// Viewport sets the page's viewport to width×height, a phone's (touch, a
// mobile user agent's layout) when mobile is set.
func Viewport(width, height int, mobile bool) chromedp.Action[chromedp.Void] {
	if mobile {
		return chromedp.EmulateViewport(int64(width), int64(height), chromedp.EmulateMobile)
	}
	return chromedp.EmulateViewport(int64(width), int64(height))
}

// ArtifactsDir returns the directory sub of $TEST_ARTIFACTS (by default
// frontdesk-artifacts in the system's temporary directory), made if need
// be, and logs where it is.
func ArtifactsDir(t testing.TB, sub string) string {
	t.Helper()
	base := os.Getenv("TEST_ARTIFACTS")
	if base == "" {
		base = filepath.Join(os.TempDir(), "frontdesk-artifacts")
	}
	dir := filepath.Join(base, sub)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshots are saved under %s", dir)
	return dir
}

// Shot saves a screenshot of the whole page as dir/name.png; a screenshot
// that can't be taken or saved ends the test.
func Shot(t testing.TB, ctx context.Context, dir, name string) {
	t.Helper()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatalf("screenshot %s: %v", name, err)
	}
	save(t, dir, name, png)
}

// ShotOf saves a screenshot of the element the CSS selector sel picks as
// dir/name.png; a screenshot that can't be taken or saved ends the test.
func ShotOf(t testing.TB, ctx context.Context, dir, name, sel string) {
	t.Helper()
	png, err := chromedp.Run(ctx, chromedp.Screenshot(chromedp.CSS(sel)))
	if err != nil {
		t.Fatalf("screenshot of %s: %v", sel, err)
	}
	save(t, dir, name, png)
}

func save(t testing.TB, dir, name string, png []byte) {
	t.Helper()
	path := filepath.Join(dir, name+".png")
	if err := os.WriteFile(path, png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: %s", path)
}

// TryShot saves what the screen shows (the viewport, not the whole page)
// as dir/name.png. A screenshot that can't be taken is only logged: TryShot
// is for the record of a journey and for its failures, whose own message
// matters more.
func TryShot(t testing.TB, ctx context.Context, dir, name string) {
	t.Helper()
	png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		t.Logf("screenshot %s: %v", name, err)
		return
	}
	path := filepath.Join(dir, name+".png")
	if err := os.WriteFile(path, png, 0o644); err != nil {
		t.Logf("screenshot %s: %v", name, err)
		return
	}
	t.Logf("screenshot: %s", path)
}

// Until waits up to timeout for the JavaScript expression js to be true on
// the current page. A page being replaced fails to evaluate; that is
// retried, so Until is how to wait for the page a click leads to.
func Until(ctx context.Context, js string, timeout time.Duration) error {
	deadline := time.Now().Add(timeout)
	for {
		ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool]("!!("+js+")"))
		if err == nil && ok {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("the page never satisfied %s (last error %v)", js, err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// A11y returns what the current page gets wrong for a person on a screen
// reader or a phone, one problem a string: no lang; not exactly one h1;
// headings that don't start at h1 or skip a level; inputs, selects and
// textareas without a label (a label for them or around them, aria-label or
// aria-labelledby), also in open shadow roots such as the widget's; and
// content wider than the screen, with the elements that stick out.
func A11y(ctx context.Context) ([]string, error) {
	return chromedp.Run(ctx, chromedp.Evaluate[[]string](a11yScript))
}

const a11yScript = `(() => {
  const bad = [];
  const describe = el => '<' + el.tagName.toLowerCase() + (el.id ? ' id="' + el.id + '"' : '') + (el.getAttribute('name') ? ' name="' + el.getAttribute('name') + '"' : '') +
    (el.className && typeof el.className === 'string' ? ' class="' + el.className + '"' : '') + '>';
  if (!(document.documentElement.getAttribute('lang') || '').trim()) bad.push('the document has no lang');
  const h1s = document.querySelectorAll('h1');
  if (h1s.length !== 1) bad.push(h1s.length + ' h1 elements, want exactly one');
  let last = 0;
  for (const h of document.querySelectorAll('h1, h2, h3, h4, h5, h6')) {
    const n = +h.tagName[1];
    if ((last === 0 && n !== 1) || n > last + 1) bad.push('heading ' + h.tagName.toLowerCase() + ' "' + h.textContent.trim().replace(/\s+/g, ' ').slice(0, 60) + '" follows ' + (last ? 'h' + last : 'no heading'));
    last = n;
  }
  const roots = [document];
  for (let i = 0; i < roots.length; i++) {
    for (const el of roots[i].querySelectorAll('*')) if (el.shadowRoot) roots.push(el.shadowRoot);
  }
  for (const root of roots) {
    for (const el of root.querySelectorAll('input, select, textarea')) {
      if ((el.getAttribute('type') || '').toLowerCase() === 'hidden') continue;
      const byFor = el.id && root.querySelector('label[for="' + CSS.escape(el.id) + '"]');
      const byAria = (el.getAttribute('aria-label') || '').trim() ||
        (el.getAttribute('aria-labelledby') || '').split(/\s+/).some(id => id && root.getElementById(id) && root.getElementById(id).textContent.trim());
      if (!byFor && !byAria && !el.closest('label')) bad.push('no label: ' + describe(el) + (root === document ? '' : ' in the shadow root of ' + describe(root.host)));
    }
  }
  const sw = document.documentElement.scrollWidth, iw = window.innerWidth;
  if (sw > iw) {
    const wide = [...document.body.querySelectorAll('*')].filter(el => el.getBoundingClientRect().right > iw + 0.5 &&
      getComputedStyle(el).position !== 'fixed' && ![...el.children].some(c => c.getBoundingClientRect().right > iw + 0.5));
    bad.push('the page is ' + sw + 'px wide on a ' + iw + 'px screen' + (wide.length ? ': ' + wide.slice(0, 4).map(describe).join(', ') : ''));
  }
  return bad;
})()`
