"""Resolves exported Web Annotations with an independent implementation.

Reads an AnnotationCollection (dossier export --format annotations), fetches
each target's source (the text the selectors count in), and applies its
TextQuoteSelector and TextPositionSelector with the `anchorpoint` package (an
implementation of the W3C Web Annotation selectors, not ours). Prints one
JSON object: for each annotation, what each selector selected; exits 1 when
a selector does not select the annotation's exact text.
"""

import json
import sys
import urllib.request

from anchorpoint.textselectors import TextPositionSelector, TextQuoteSelector


def main(path):
    with open(path, encoding="utf-8") as f:
        collection = json.load(f)
    results = []
    ok = True
    texts = {}
    for item in collection["first"]["items"]:
        target = item["target"]
        source = target["source"]["id"]
        if source not in texts:
            with urllib.request.urlopen(source) as r:
                texts[source] = r.read().decode("utf-8")
        text = texts[source]
        quote, position = target["selector"]
        by_quote = TextQuoteSelector(
            exact=quote["exact"], prefix=quote["prefix"], suffix=quote["suffix"]
        ).select_text(text)
        by_position = TextPositionSelector(
            start=position["start"], end=position["end"]
        ).select_text(text)
        good = by_quote == quote["exact"] and by_position == quote["exact"]
        ok = ok and good
        results.append(
            {
                "id": item["id"],
                "exact": quote["exact"],
                "by_quote": by_quote,
                "by_position": by_position,
                "resolved": good,
            }
        )
    print(json.dumps({"annotations": results}, ensure_ascii=False))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
