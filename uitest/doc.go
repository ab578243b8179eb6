// Package uitest drives the web inspector (/_emulator/ui/, package emulator's embedded page)
// in headless Chromium, with chromedp, against the served bedrock-emulator command, while
// the AWS SDK for Go sends it requests: the list fills without a reload, a request opens with
// its headers, bodies and stream timeline, filters narrow the list, a copied rule loads back
// and answers, the admin token guards the page, and 10,000 journal entries stay quick to
// scroll, filter and open (measured, logged, and written up in docs/ui.md).
//
// The tests skip, naming scripts/browser-setup.sh, where Chromium is not installed, and fail
// instead where SDKTEST_REQUIRE is set (.ci/run). Screenshots go to $UITEST_SCREENSHOTS, or
// to a temporary directory, logged; `go test ./uitest -run TestScreenshots -update` rewrites
// docs/ui.png (a stream opened) and docs/ui-request.png (a request with an image), which the
// README shows.
package uitest
