// Puts the demo member's cookies into a Chrome profile's cookie jar (as a browser that signed
// in has them), so Lighthouse, started on that profile, measures a signed-in member: the page
// itself sees the CSRF cookie, which decides what the portal loads. Cookies passed to Lighthouse
// as request headers would reach the server but not the page.
//
// Input (JSON in the COOKIES_INPUT environment variable):
//   { toolsDir, chrome, profile, base, cookie: "name=value; name=value" }
import { launch } from "./phone.mjs";

const input = JSON.parse(process.env.COOKIES_INPUT);

// Persistent (an expiry), or Chrome would not write them to the profile.
const expires = Math.floor(Date.now() / 1000) + 24 * 3600;
const cookies = input.cookie
  .split(";")
  .map((pair) => pair.trim())
  .filter(Boolean)
  .map((pair) => {
    const at = pair.indexOf("=");
    return { name: pair.slice(0, at), value: pair.slice(at + 1), url: input.base, expires };
  });

const browser = await launch(input.toolsDir, input.chrome, input.profile);
try {
  const page = await browser.newPage();
  await page.setCookie(...cookies);
  const seen = await page.cookies(input.base);
  if (seen.length < cookies.length) throw new Error(`only ${seen.length} of ${cookies.length} cookies set`);
} finally {
  await browser.close();
}
