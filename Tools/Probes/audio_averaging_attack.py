# Averaging (collusion) attack on the audio mark, a probe that prints figures (docs/audio-mark.md,
# Layout). The corpus files are marked under one key (payload i each) and taken to 16 kHz mono;
# per file the whitened log band powers of its 32-ms cells, aligned at the file's first sample,
# are folded modulo the 64-cell block; the other files' folds are averaged, and the estimate is
# undone on the target by a per-cell, per-band gain exp(-g E / 2) (STFT, sine window, 50 %
# overlap). With RANDOM_E=1 a random pattern replaces the estimate (the control: distortion of
# the same size and shape that knows nothing of the mark). With REGISTER=1 the attacker first
# aligns the folds to one another, blindly (the cyclic rotation of 64 that best matches a running
# reference, four passes), which undoes the per-file rotation.
# Needs numpy and ffmpeg. Usage:
#   python3 Tools/Probes/audio_averaging_attack.py .build/release/tracemark KEYFILE WORKDIR 0.1,0.2,0.3
import sys, os, glob, json, subprocess
import numpy as np
T = sys.argv[1]; key = sys.argv[2]; work = sys.argv[3]; gains = [float(g) for g in sys.argv[4].split(',')]
os.makedirs(work, exist_ok=True)
R = 16000; N = 512; C = 64
mel = lambda f: 2595 * np.log10(1 + f / 700); hz = lambda m: 700 * (10 ** (m / 2595) - 1)
edges = hz(np.linspace(mel(150), mel(7000), 33)); bins = []; prev = int(round(edges[0] / 31.25))
for b in range(32):
    up = max(prev + 1, int(round(edges[b + 1] / 31.25))); bins.append((prev, up)); prev = up
files = sorted(glob.glob((sys.argv[5] if len(sys.argv) > 5 else "../shared/corpus/audio") + "/*"))
def load16(path):
    raw = subprocess.run(['ffmpeg', '-loglevel', 'error', '-i', path, '-ac', '1', '-ar', str(R), '-f', 'f32le', '-'], capture_output=True).stdout
    return np.frombuffer(raw, dtype=np.float32).astype(np.float64)
def save16(x, path):
    subprocess.run(['ffmpeg', '-loglevel', 'error', '-y', '-f', 'f32le', '-ar', str(R), '-ac', '1', '-i', '-', '-c:a', 'pcm_s16le', path], input=x.astype(np.float32).tobytes(), check=True)
w = np.sin(np.pi * (np.arange(N) + 0.5) / N)
def fold(x):
    cells = len(x) // N
    X = np.fft.rfft(x[:cells * N].reshape(cells, N) * w, axis=1)
    P = np.abs(X) ** 2
    L = np.log(np.stack([P[:, a:b].sum(axis=1) for a, b in bins], axis=1) + 1e-9)
    r = L.copy(); r[1:-1] = L[1:-1] - 0.5 * (L[:-2] + L[2:]); r[0] = r[-1] = 0
    r -= r.mean(axis=1, keepdims=True)
    F = np.zeros((C, 32)); n = np.zeros(C)
    for c in range(1, cells - 1): F[c % C] += r[c]; n[c % C] += 1
    F /= np.maximum(n, 1)[:, None]
    return F / (F.std(axis=0, keepdims=True) + 1e-12)
def undo(x, E, g):
    H = N // 2; frames = (len(x) - N) // H + 1
    y = np.zeros(len(x)); gainmap = np.ones(N // 2 + 1)
    for m in range(frames):
        seg = x[m * H:m * H + N] * w
        centre = m * H + H; c = centre // N
        e = E[c % C] if (centre % N) == N // 2 else 0.5 * (E[c % C] + E[(c - 1) % C])
        gm = np.ones(N // 2 + 1)
        for b, (lo, hi) in enumerate(bins): gm[lo:hi] = np.exp(-0.5 * g * e[b])
        y[m * H:m * H + N] += np.fft.irfft(np.fft.rfft(seg) * gm, N) * w
    return y
sig = []
for i, f in enumerate(files):
    m = f'{work}/mk{i:02d}.wav'
    if not os.path.exists(m):
        subprocess.run([T, 'embed', f, m, '--key', key, '--payload', f'{0xA0D10+i:016x}'], check=True, capture_output=True)
    sig.append(load16(m))
folds = [fold(x) for x in sig]
for g in gains:
    found = 0; snrs = []
    for t in range(len(files)):
        others = [j for j in range(len(files)) if j != t]
        if os.environ.get('REGISTER'):
            ref = folds[others[0]]
            for it in range(4):
                acc = np.zeros_like(ref)
                for j in others:
                    cs = [np.sum(np.roll(folds[j], -k, axis=0) * ref) for k in range(C)]
                    acc += np.roll(folds[j], -int(np.argmax(cs)), axis=0)
                ref = acc / len(others)
            cs = [np.sum(np.roll(folds[t], -k, axis=0) * ref) for k in range(C)]
            E = np.roll(ref, int(np.argmax(cs)), axis=0)
        else:
            E = np.mean([folds[j] for j in others], axis=0)
        if os.environ.get('RANDOM_E'): E = np.random.default_rng(t).standard_normal(E.shape)
        E /= E.std() + 1e-12
        y = undo(sig[t], E, g) if g > 0 else sig[t]
        n = min(len(y), len(sig[t])) - N
        snrs.append(10 * np.log10(np.sum(sig[t][N:n] ** 2) / max(1e-20, np.sum((y[N:n] - sig[t][N:n]) ** 2))))
        save16(y, f'{work}/att.wav')
        d = json.loads(subprocess.run([T, 'detect', f'{work}/att.wav', '--key', key, '--json'], capture_output=True, text=True).stdout.splitlines()[0])
        found += d.get('payload') == f'{0xA0D10+t:016x}'
    print(f'gain {g}: payload read in {found} of {len(files)}, attack SNR median {np.median(snrs):.1f} dB', flush=True)
