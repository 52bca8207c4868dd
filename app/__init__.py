"""The Streamlit app's pages and helpers (see streamlit_app.py)."""
