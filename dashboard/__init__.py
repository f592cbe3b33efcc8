"""Ketenmonitor dashboard (Streamlit, Dutch UI). Imports `pipelines`; `pipelines` never imports this."""
