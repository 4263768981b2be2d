"""Hostile inputs for the stored-XSS tests.

Each one, if a page ran it, would set `window.__xss`, open a dialog, or leave an element the
tests look for (an event handler attribute, a `javascript:`/`data:` link, a foreign script,
frame or object). They cover script tags, event handlers, `javascript:` and `data:` URLs, SVG
and MathML, broken and nested tags, entity and encoding tricks, CSS expressions, template
syntax, breaking out of attributes and raw-text elements, and mutation-XSS patterns that turn
dangerous only when a sanitizer's output is parsed again (as the note editor does).
"""

XSS_CORPUS = [
    # Script tags, plain and broken out of attributes and raw-text elements.
    "<script>window.__xss=1</script>",
    "<SCRIPT SRC=/static/evil.js></SCRIPT>",
    '"><script>window.__xss=2</script>',
    "'><script>window.__xss=3</script>",
    "</textarea><script>window.__xss=4</script>",
    "</title><script>window.__xss=5</script>",
    "</noscript><script>window.__xss=6</script>",
    "</trix-editor><script>window.__xss=7</script>",
    "<template><script>window.__xss=8</script></template>",
    # Event handlers.
    '<img src=x onerror="window.__xss=9">',
    "<img src=x onerror=alert(10)>",
    '<svg onload="window.__xss=11">',
    '<body onload="window.__xss=12">',
    '<details open ontoggle="window.__xss=13">x</details>',
    '<input autofocus onfocus="window.__xss=14">',
    '<a href="https://example.com" onmouseover="window.__xss=15" onclick="alert(15)">ok</a>',
    '<p onpointerenter="window.__xss=16" title="x">hover</p>',
    "<img src=x:alert(17) onerror=eval(src)>",
    # javascript:, data: and other schemes, with case, whitespace and entity tricks.
    '<a href="javascript:window.__xss=18">click</a>',
    '<a href="JaVaScRiPt:window.__xss=19">click</a>',
    '<a href="  javascript:window.__xss=20">spaces</a>',
    '<a href="jav&#x09;ascript:window.__xss=21">tab</a>',
    '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(22)">ent</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">data</a>',
    '<a href="vbscript:msgbox(23)">vb</a>',
    '<iframe src="javascript:parent.__xss=24"></iframe>',
    '<iframe srcdoc="<script>parent.__xss=25</script>"></iframe>',
    '<object data="data:text/html,<script>parent.__xss=26</script>"></object>',
    '<embed src="data:image/svg+xml,<svg onload=parent.__xss=27>">',
    '<form action="javascript:window.__xss=28"><button>go</button></form>',
    '<meta http-equiv="refresh" content="0;url=javascript:window.__xss=29">',
    '<base href="javascript:window.__xss=30//">',
    # SVG and MathML.
    "<svg><script>window.__xss=31</script></svg>",
    '<svg><a xlink:href="javascript:window.__xss=32"><text y="20">svg</text></a></svg>',
    '<svg><animate onbegin="window.__xss=33" attributeName="x" dur="1s"/></svg>',
    # CSS.
    '<div style="background:url(javascript:window.__xss=34)">css</div>',
    '<div style="width: expression(window.__xss=35)">ie css</div>',
    '<style>@import "javascript:window.__xss=36"; body{background:red}</style>',
    '<link rel="stylesheet" href="javascript:window.__xss=37">',
    # Broken and nested tags.
    "<scr<script>ipt>window.__xss=38</scr</script>ipt>",
    "<<script>script>window.__xss=39<</script>/script>",
    '<img src="x` `<script>window.__xss=40</script>"` `>',
    "<img src=x onerror=window.__xss=41//",
    # Entities and encodings that decode to markup.
    "&lt;script&gt;window.__xss=42&lt;/script&gt;",
    "&#60;img src=x onerror=window.__xss=43&#62;",
    "\u003cimg src=x onerror=window.__xss=44\u003e",
    # Comments and mutation XSS: harmless as parsed once, dangerous when parsed again.
    "<p>Hi<!--<img src=x onerror=window.__xss=45>--></p>",
    "<!--><img src=x onerror=window.__xss=46>-->",
    '<noscript><p title="</noscript><img src=x onerror=window.__xss=47>"></noscript>',
    '<math><mtext><table><mglyph><style><img src=x onerror="window.__xss=48">',
    '<svg></p><style><a id="</style><img src=x onerror=window.__xss=49>">',
    "<xmp><img src=x onerror=window.__xss=50></xmp>",
    '<form><math><mtext></form><form><mglyph><style></math><img src onerror="window.__xss=51">',
    # Template syntax, for any page that would render input as a template.
    "{{ request }} {% debug %} ${window.__xss=52} #{alert(52)}",
]
