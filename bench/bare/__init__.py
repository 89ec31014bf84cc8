"""The bare floor: the firm list's own queries rendered by Django with nothing else (see settings.py)."""
