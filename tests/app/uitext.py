"""Collect every text a user sees on a page run by AppTest (for the UI-text scan, tests/app/test_ui_text.py).

Walks the whole element tree (main area and sidebar): headings, markdown, captions, alerts, metric labels,
values, deltas and help, widget labels, options as formatted and placeholders, tab labels, download
labels, every dataframe's column names and cell values, and of every Vega-Lite chart the titles in its spec
and the data values of fields drawn as colour, row/column facet or text (the legend and facet labels).
"""

from __future__ import annotations

import io
import json
import re

import pyarrow as pa

# Vega-Lite encodings whose field values a reader sees as text (legend entries, facet and axis labels)
_SHOWN_CHANNELS = ("color", "row", "column", "facet", "text", "x", "y", "shape", "strokeDash", "tooltip")


def _arrow_frame(data: bytes):
    return pa.ipc.open_stream(io.BytesIO(data)).read_all().to_pandas() if data else None


def _spec_texts(spec: dict, datasets: dict[str, object]) -> list[str]:
    """Titles anywhere in the spec, and the values of nominal fields encoded as a shown channel."""
    out: list[str] = []

    def walk(node, data_name=None):
        if isinstance(node, dict):
            name = node.get("data", {}).get("name") if isinstance(node.get("data"), dict) else None
            data_name = name or data_name
            for key, value in node.items():
                if key == "title" and isinstance(value, str):
                    out.append(value)
                elif key == "title" and isinstance(value, list):
                    out.extend(v for v in value if isinstance(v, str))
                elif key == "encoding" and isinstance(value, dict):
                    for channel, encs in value.items():
                        for enc in encs if isinstance(encs, list) else [encs]:
                            if not isinstance(enc, dict):
                                continue
                            if isinstance(enc.get("title"), str):
                                out.append(enc["title"])
                            field = enc.get("field")
                            kind = enc.get("type")
                            legend = enc.get("legend") if isinstance(enc.get("legend"), dict) else {}
                            if "labelExpr" in legend:
                                continue  # the legend shows the labelExpr's text, not the values
                            if channel in _SHOWN_CHANNELS and field and kind in ("nominal", "ordinal"):
                                frame = datasets.get(data_name)
                                if frame is not None and field in frame.columns:
                                    out.extend(str(v) for v in frame[field].dropna().unique())
                else:
                    walk(value, data_name)
        elif isinstance(node, list):
            for item in node:
                walk(item, data_name)

    walk(spec, spec.get("data", {}).get("name") if isinstance(spec.get("data"), dict) else None)
    return out


def chart_texts(proto) -> list[str]:
    spec = json.loads(proto.spec) if proto.spec else {}
    datasets = {d.name: _arrow_frame(d.data.data) for d in proto.datasets}
    if proto.data and proto.data.data:
        datasets[None] = _arrow_frame(proto.data.data)
    return _spec_texts(spec, datasets)


def visible_texts(at) -> list[tuple[str, str]]:
    """(where, text) for every text shown by the app run `at`."""
    out: list[tuple[str, str]] = []

    def add(where: str, *texts) -> None:
        out.extend((where, str(t)) for t in texts if t is not None and str(t) != "")

    for node in at._tree:
        kind = getattr(node, "type", "")
        proto = getattr(node, "proto", None)
        if kind in ("title", "header", "subheader", "markdown", "caption", "text", "latex"):
            add(kind, node.value)
        elif kind in ("info", "warning", "error", "success", "exception", "toast"):
            add(kind, getattr(node, "value", None))
        elif kind == "metric":
            add("metric", node.label, node.value, node.delta, proto.help, proto.delta_description)
        elif kind in ("selectbox", "multiselect", "radio", "select_slider"):
            add(kind, node.label, *node.options, proto.help, getattr(proto, "placeholder", None))
            if kind in ("selectbox", "multiselect") and not proto.placeholder:
                add(kind + " placeholder", "Choose an option")  # Streamlit's default (frontend text)
        elif kind == "button_group":
            add(kind, proto.label, *[o.content for o in proto.options], proto.help)
        elif kind in ("toggle", "checkbox", "button", "download_button", "slider", "date_input"):
            add(kind, getattr(proto, "label", None), getattr(proto, "help", None))
        elif kind == "tab":
            add("tab", node.label)
        elif kind == "expander":
            add("expander", node.label)
        elif kind in ("dataframe", "arrow_data_frame"):
            frame = node.value
            add("dataframe column", *frame.columns)
            for col in frame.columns:
                add(f"dataframe {col}", *frame[col].tolist())
        elif kind in ("vega_lite_chart", "arrow_vega_lite_chart"):
            add("chart", *chart_texts(proto))
    return out


DETAILS = re.compile(r"<details>.*?</details>", re.S)
