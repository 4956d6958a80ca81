"""The grids of document tiles (the inbox and the documents of the selected slot): their item
model, search filter, tile drawing and thumbnails, and getting files in: the background
import with progress, and the list of files it refused with their reasons.
"""
