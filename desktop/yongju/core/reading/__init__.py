"""Reading stored documents: page text (text layer or OCR), MRZ, dates, and proposals from them."""
