#!/usr/bin/env bash
# Renders assets/rick_roll.jpg, the image `webkit serve image` serves by default:
# a seeded plasma gradient with the project's name, about 70 KB.
# Needs ImageMagick 6 and the DejaVu fonts (apt-get install imagemagick fonts-dejavu-core).
set -euo pipefail
cd "$(dirname "$0")/.."
/usr/bin/convert -size 1280x720 -seed 6420 plasma:'#ff7e5f-#6a3093' -blur 0x5 \
  \( -size 1280x720 gradient:'rgba(255,255,255,0.15)-rgba(0,0,0,0.35)' \) -compose over -composite \
  -gravity center -font DejaVu-Sans-Bold \
  -pointsize 200 -fill 'rgba(0,0,0,0.35)' -annotate +8+8 'webkit' -fill white -annotate +0+0 'webkit' \
  -pointsize 46 -fill 'rgba(255,255,255,0.9)' -annotate +0+160 'never gonna give you up' \
  -strip -interlace JPEG -quality 88 -sampling-factor 4:2:0 assets/rick_roll.jpg
ls -l assets/rick_roll.jpg
