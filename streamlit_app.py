"""The web app. Run: streamlit run streamlit_app.py"""

from app.main import main

main()
