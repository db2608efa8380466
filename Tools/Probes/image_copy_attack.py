# Copy attack on the image mark, a probe that prints figures (docs/image-mark.md, Known limits):
# the corpus images are centre-cropped to SIZE² and marked under one key (payload i each); one
# marked image's high-passed residual (minus its sigma-3 Gaussian blur, mean of R, G, B) is added
# at gain g to another, unmarked image, and the detector is asked for the first image's payload.
# Needs numpy, pillow. Usage:
#   python3 Tools/Probes/image_copy_attack.py .build/release/tracemark KEYFILE WORKDIR 512 1,2
import sys, os, glob, json, subprocess
import numpy as np
from PIL import Image
T, key, work, size = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
gains = [float(g) for g in sys.argv[5].split(',')]
os.makedirs(work, exist_ok=True)
sources = sorted(glob.glob('../shared/corpus/images/*'))
if len(sys.argv) > 6: sources = sorted(glob.glob(sys.argv[6] + '/*'))
n = len(sources)
for i, s in enumerate(sources):
    if os.path.exists(f'{work}/mk{i:02d}.png'): continue
    im = Image.open(s).convert('RGB'); w, h = im.size; m = min(w, h)
    im = im.crop(((w - m) // 2, (h - m) // 2, (w - m) // 2 + m, (h - m) // 2 + m)).resize((size, size), Image.LANCZOS)
    im.save(f'{work}/src{i:02d}.png')
    subprocess.run([T, 'embed', f'{work}/src{i:02d}.png', f'{work}/mk{i:02d}.png', '--key', key,
                    '--payload', f'{0x1000 + i:016x}'], check=True, capture_output=True)
RGB = lambda p: np.asarray(Image.open(p).convert('RGB'), dtype=np.float64)
def highpass(a):
    fy = np.fft.fftfreq(a.shape[0])[:, None]; fx = np.fft.fftfreq(a.shape[1])[None, :]
    g = np.exp(-2 * np.pi ** 2 * 9 * (fx ** 2 + fy ** 2))
    return np.stack([np.real(np.fft.ifft2(np.fft.fft2(a[:, :, c]) * (1 - g))) for c in range(3)], axis=2)
for gain in gains:
    found = 0; psnrs = []
    for t in range(n):
        source = (t + 1) % n
        residual = highpass(RGB(f'{work}/mk{source:02d}.png')).mean(axis=2, keepdims=True)
        host = RGB(f'{work}/src{t:02d}.png')
        attacked = np.clip(host + gain * residual, 0, 255)
        Image.fromarray(np.round(attacked).astype(np.uint8)).save(f'{work}/copy.png')
        d = json.loads(subprocess.run([T, 'detect', f'{work}/copy.png', '--key', key, '--json'],
                                      capture_output=True, text=True).stdout.splitlines()[0])
        found += d['payload'] == f'{0x1000 + source:016x}'
        psnrs.append(10 * np.log10(255 ** 2 / np.mean((np.round(attacked) - host) ** 2)))
    print(f'gain {gain}: the source payload read in {found} of {n} other images, change PSNR {np.mean(psnrs):.1f} dB', flush=True)
