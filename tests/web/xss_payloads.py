"""XSS payloads for the hostile-content test.

Every payload, if it ever ran, would set ``window.__xss`` and/or make a request to the beacon
(``{beacon}``, a loopback server counting hits). ``{js}`` is the script a payload runs,
``{url}`` a beacon URL unique to the payload.
"""

from __future__ import annotations

JS = "window.__xss=1;fetch('{url}')"

TEMPLATES = (
    # script tags
    "<script>{js}</script>",
    "<script src=\"{url}\"></script>",
    "<SCRIPT>{js}</SCRIPT>",
    "<scr<script>ipt>{js}</scr</script>ipt>",
    "</title><script>{js}</script>",
    "</textarea><script>{js}</script>",
    "</style><script>{js}</script>",
    "<!--<script>-->{js}<!--</script>-->",
    "--><script>{js}</script>",
    "]]><script>{js}</script>",
    "<script type=module>{js}</script>",
    "<script>/*</script><script>*/{js}</script>",
    "<noscript><p title=\"</noscript><img src=x onerror={js}>\">",
    "<template><script>{js}</script></template>",
    # event handlers
    "<img src=x onerror=\"{js}\">",
    "<img src=x onerror={js}//",
    "<svg onload=\"{js}\">",
    "<body onload=\"{js}\">",
    "<input autofocus onfocus=\"{js}\">",
    "<details open ontoggle=\"{js}\">",
    "<video><source onerror=\"{js}\"></video>",
    "<audio src=x onerror=\"{js}\">",
    "<iframe onload=\"{js}\"></iframe>",
    "<marquee onstart=\"{js}\">x</marquee>",
    "<div onmouseover=\"{js}\" style=\"position:fixed;inset:0\">hover</div>",
    "<select autofocus onfocus=\"{js}\"></select>",
    "<object data=x onerror=\"{js}\"></object>",
    "<img src=x:x onerror=eval(atob('d2luZG93Ll9feHNzPTE='))>",
    "<body onpageshow=\"{js}\">",
    "<style onload=\"{js}\"></style>",
    # javascript: URLs
    "<a href=\"javascript:{js}\">click</a>",
    "<a href=\"JaVaScRiPt:{js}\">click</a>",
    "<a href=\"jav&#x09;ascript:{js}\">click</a>",
    "<a href=\"&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;:{js}\">x</a>",
    "<iframe src=\"javascript:{js}\"></iframe>",
    "<form action=\"javascript:{js}\"><button>go</button></form>",
    "<embed src=\"javascript:{js}\">",
    "<meta http-equiv=\"refresh\" content=\"0;url=javascript:{js}\">",
    "<base href=\"javascript:{js}//\">",
    "<iframe srcdoc=\"<script>{js}</script>\"></iframe>",
    "<a href=\"data:text/html;base64,PHNjcmlwdD53aW5kb3cuX194c3M9MTwvc2NyaXB0Pg==\">x</a>",
    "<iframe src=\"data:text/html,<script>{js}</script>\"></iframe>",
    # SVG and MathML
    "<svg><script>{js}</script></svg>",
    "<svg><animate onbegin=\"{js}\" attributeName=x dur=1s>",
    "<svg><a xlink:href=\"javascript:{js}\"><text x=20 y=20>x</text></a></svg>",
    "<svg><set attributeName=onmouseover to=\"{js}\"/></svg>",
    "<svg><foreignObject><img src=x onerror=\"{js}\"></foreignObject></svg>",
    "<svg><use href=\"data:image/svg+xml,<svg id='x' xmlns='http://www.w3.org/2000/svg'><image href='1' onerror='{js}'/></svg>#x\"/></svg>",
    "<math><mtext><table><mglyph><style><img src=x onerror=\"{js}\">",
    "<math href=\"javascript:{js}\">click</math>",
    "<math><maction actiontype=statusline xlink:href=\"javascript:{js}\">x</maction></math>",
    "<svg><style>@import '{url}';</style></svg>",
    "<svg><discard onbegin=\"{js}\"/></svg>",
    "<math><style><img src=x onerror=\"{js}\"></style></math>",
    # CSS
    "<div style=\"background:url(javascript:{js})\">x</div>",
    "<div style=\"width:expression({js})\">x</div>",
    "<style>@import '{url}';</style>",
    "<link rel=stylesheet href=\"{url}\">",
    "<div style=\"background-image:url({url})\">x</div>",
    "<style>body{{background:url('{url}')}}</style>",
    "<style>*{{x:expression({js})}}</style>",
    "<div style=\"-moz-binding:url({url}#xss)\">x</div>",
    # attribute and context breakouts
    "\" onmouseover=\"{js}",
    "' onmouseover='{js}",
    "\"><img src=x onerror=\"{js}\">",
    "'><script>{js}</script>",
    "\" autofocus onfocus=\"{js}\" x=\"",
    "\"/><svg onload={js}>",
    "` onmouseover=`{js}",
    "x\" src=\"{url}",
    "\"></a><script>{js}</script><a href=\"",
    "</p></div></article><script>{js}</script>",
    "{{{{7*7}}}}<script>{js}</script>",
    "{{% raw %}}<script>{js}</script>{{% endraw %}}",
    "\\u003cscript\\u003e{js}\\u003c/script\\u003e",
    # encoded variants
    "&lt;script&gt;{js}&lt;/script&gt;",
    "&#60;script&#62;{js}&#60;/script&#62;",
    "%3Cscript%3E{js}%3C/script%3E",
    "<scr\u0000ipt>{js}</scr\u0000ipt>",
    "<img src=x onerror=&#119;&#105;&#110;&#100;&#111;&#119;.__xss=1>",
    "<img src=x onerror=\"\\u0077indow.__xss=1\">",
    "\uff1cscript\uff1e{js}\uff1c/script\uff1e",
    "<IMG SRC=\"jav&#x0A;ascript:{js}\">",
    "<img src=`x`onerror={js}>",
    "<object data=\"data:text/html;base64,PHNjcmlwdD53aW5kb3cuX194c3M9MTwvc2NyaXB0Pg==\"></object>",
    "+ADw-script+AD4-{js}+ADw-/script+AD4-",
)

# Values for image URL fields: never http(s), or http(s) with a breakout in them.
IMAGE_URLS = (
    "javascript:{js}",
    "JAVASCRIPT:{js}",
    " javascript:{js}",
    "\u0001javascript:{js}",
    "java\tscript:{js}",
    "data:image/svg+xml,<svg xmlns='http://www.w3.org/2000/svg' onload='{js}'/>",
    "data:text/html,<script>{js}</script>",
    "vbscript:msgbox(1)",
    "x\" onerror=\"{js}",
    "\"><script>{js}</script>",
    "//127.0.0.1:1/\" onerror=\"{js}",
    "{base}/img/photo1.png\" onerror=\"{js}",
    "{base}/img/photo2.png?'><script>{js}</script>",
)


def render(template: str, *, beacon: str, base: str, n: int) -> str:
    url = f"{beacon}/p{n}"
    return template.format(js=JS.format(url=url), url=url, base=base)


def payloads(beacon: str, base: str) -> list[str]:
    """Every template in two casings: as written, and with tag/attribute names upper-cased."""
    out = []
    for n, template in enumerate(TEMPLATES):
        out.append(render(template, beacon=beacon, base=base, n=n))
        shouted = template.replace("<script", "<ScRiPt").replace("onerror", "OnErRoR").replace("onload", "ONLOAD")
        out.append(render(shouted + " ", beacon=beacon, base=base, n=1000 + n))
    return out


def image_urls(beacon: str, base: str) -> list[str]:
    return [render(t, beacon=beacon, base=base, n=2000 + i) for i, t in enumerate(IMAGE_URLS)]
