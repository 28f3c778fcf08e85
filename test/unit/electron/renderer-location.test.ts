import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { appLocation, dataDirFlag, isAppRendererUrl, routeHash, secondLaunchOpensWindow, startsHidden } from '../../../main/electron/renderer-location.js';

describe('renderer location', () => {
  const root = path.resolve('/opt/agent-relay');
  const location = appLocation(pathToFileURL(path.join(root, 'dist', 'electron', 'main.js')).href, root);

  it('finds the renderer, preload and assets beside the main bundle', () => {
    expect(location.rendererFile).toBe(path.join(root, 'dist', 'renderer', 'index.html'));
    expect(location.preloadFile).toBe(path.join(root, 'dist', 'preload', 'index.cjs'));
    expect(location.assetsDir).toBe(path.join(root, 'assets'));
    expect(location.rendererUrl).toBe(pathToFileURL(location.rendererFile).href);
  });

  it('accepts the app page at any route and nothing else', () => {
    expect(isAppRendererUrl(location.rendererUrl, location.rendererUrl)).toBe(true);
    expect(isAppRendererUrl(`${location.rendererUrl}#/providers`, location.rendererUrl)).toBe(true);
    expect(isAppRendererUrl(pathToFileURL(path.join(root, 'dist', 'renderer', 'other.html')).href, location.rendererUrl)).toBe(false);
    expect(isAppRendererUrl('https://example.com/dist/renderer/index.html', location.rendererUrl)).toBe(false);
    expect(isAppRendererUrl('about:blank', location.rendererUrl)).toBe(false);
    expect(isAppRendererUrl('', location.rendererUrl)).toBe(false);
  });

  it('maps routes to the hashes the renderer reads', () => {
    expect(routeHash('home')).toBe('/');
    expect(routeHash('providers')).toBe('/providers');
    expect(routeHash('agents')).toBe('/agents');
  });

  it('reads --data-dir and --hidden from Electron argv', () => {
    expect(dataDirFlag(['/usr/bin/electron', '/app', '--data-dir', '/tmp/x'])).toBe('/tmp/x');
    expect(dataDirFlag(['/usr/bin/electron', '/app', '--data-dir=/tmp/y'])).toBe('/tmp/y');
    expect(dataDirFlag(['/usr/bin/electron', '/app'])).toBeUndefined();
    expect(startsHidden(['electron', '.', '--hidden'])).toBe(true);
    expect(startsHidden(['electron', '.'])).toBe(false);
  });

  it('a second launch shows the window, except node-pty forking its console-list agent (no run-as-node in a release)', () => {
    expect(secondLaunchOpensWindow(['C:\\Agent Relay\\Agent Relay.exe'])).toBe(true);
    expect(secondLaunchOpensWindow(['/opt/ar/agent-relay', '--data-dir', '/tmp/x'])).toBe(true);
    expect(
      secondLaunchOpensWindow([
        'C:\\Agent Relay\\Agent Relay.exe',
        'C:\\Agent Relay\\resources\\app.asar.unpacked\\node_modules\\node-pty\\lib\\conpty_console_list_agent',
        '4242',
      ]),
    ).toBe(false);
  });
});
