#!/usr/bin/env python3
# Loopback recording proxy: forwards to the emulator, saves each request body.
import http.server, urllib.request, sys, os, itertools
upstream, outdir = sys.argv[1], sys.argv[2]
n = itertools.count()
class H(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get('Content-Length', 0)))
        i = next(n)
        with open(os.path.join(outdir, f'req{i:02d}.json'), 'wb') as f: f.write(body)
        req = urllib.request.Request(upstream + self.path, data=body, method='POST')
        for k, v in self.headers.items():
            if k.lower() not in ('host', 'content-length'): req.add_header(k, v)
        try: resp = urllib.request.urlopen(req)
        except urllib.error.HTTPError as e: resp = e
        data = resp.read()
        self.send_response(resp.status if hasattr(resp,'status') else resp.code)
        for k, v in resp.headers.items():
            if k.lower() not in ('transfer-encoding', 'content-length', 'connection'): self.send_header(k, v)
        self.send_header('Content-Length', str(len(data))); self.end_headers(); self.wfile.write(data)
    do_GET = do_POST
    def log_message(self, *a): pass
s = http.server.ThreadingHTTPServer(('127.0.0.1', 0), H)
print('listening on http://127.0.0.1:%d' % s.server_address[1], flush=True)
s.serve_forever()
