"""Pictures for the demo content, drawn with Pillow (never copied from anywhere).

Each picture is a calm abstract scene: sky, ground, a few buildings and people
shapes in a palette, deterministic for a given seed so re-running the demo
gives the same images.
"""

import io
import random

from django.core.files.base import ContentFile
from PIL import Image, ImageDraw

PALETTES = {
    "warm": [(244, 228, 205), (203, 92, 64), (120, 60, 48), (238, 187, 113), (90, 120, 90)],
    "green": [(224, 238, 222), (82, 140, 96), (45, 85, 60), (240, 210, 120), (160, 70, 60)],
    "blue": [(220, 232, 244), (70, 110, 160), (40, 60, 100), (230, 170, 90), (190, 60, 60)],
    "grey": [(226, 224, 220), (130, 126, 120), (80, 78, 74), (200, 160, 110), (150, 80, 60)],
}


def scene(seed, palette="warm", size=(1200, 800), worn=False):
    rng = random.Random(seed)
    sky, main, dark, accent, extra = PALETTES[palette]
    width, height = size
    image = Image.new("RGB", size, sky)
    draw = ImageDraw.Draw(image)
    horizon = int(height * rng.uniform(0.55, 0.68))
    for x in range(0, width, rng.randint(140, 220)):
        w = rng.randint(110, 200)
        h = rng.randint(int(height * 0.18), int(height * 0.4))
        draw.rectangle([x, horizon - h, x + w, horizon], fill=rng.choice([main, dark, extra]))
        draw.polygon([(x - 10, horizon - h), (x + w // 2, horizon - h - 40), (x + w + 10, horizon - h)], fill=dark)
        for wy in range(horizon - h + 20, horizon - 30, 45):
            for wx in range(x + 15, x + w - 25, 40):
                draw.rectangle([wx, wy, wx + 18, wy + 24], fill=accent)
    draw.rectangle([0, horizon, width, height], fill=(196, 190, 180) if worn else (176, 176, 170))
    if worn:  # a cracked, patchy courtyard surface
        for _ in range(60):
            x, y = rng.randint(0, width), rng.randint(horizon, height)
            draw.ellipse([x, y, x + rng.randint(20, 90), y + rng.randint(8, 30)], fill=(150, 140, 128))
        for _ in range(25):
            x, y = rng.randint(0, width), rng.randint(horizon, height)
            draw.line([(x, y), (x + rng.randint(-80, 80), y + rng.randint(10, 60))], fill=(90, 84, 76), width=3)
    for _ in range(rng.randint(3, 7)):  # people
        px = rng.randint(40, width - 40)
        py = rng.randint(horizon + 20, height - 80)
        colour = rng.choice([main, dark, extra, accent])
        draw.ellipse([px - 14, py - 70, px + 14, py - 42], fill=(235, 200, 170))
        draw.rounded_rectangle([px - 22, py - 42, px + 22, py + 20], radius=10, fill=colour)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=82)
    return ContentFile(buffer.getvalue(), name=f"demo-{seed}.jpg")
