import type { ITheme } from '@xterm/xterm';

/** Console colours that sit with the app's own light and dark palettes (styles/theme.css). */
export const TERMINAL_THEMES: Readonly<Record<'light' | 'dark', ITheme>> = {
  light: {
    background: '#fbfbfc',
    foreground: '#1f2028',
    cursor: '#5048e5',
    cursorAccent: '#ffffff',
    selectionBackground: '#d9d6fb',
    selectionInactiveBackground: '#e6e5ee',
    black: '#1f2028',
    red: '#c8382e',
    green: '#1f8a4c',
    yellow: '#a86b00',
    blue: '#3b5bdb',
    magenta: '#9c36b5',
    cyan: '#0c8599',
    white: '#8b8c98',
    brightBlack: '#5d5e6b',
    brightRed: '#e03131',
    brightGreen: '#2b9a66',
    brightYellow: '#c48a00',
    brightBlue: '#5048e5',
    brightMagenta: '#ae3ec9',
    brightCyan: '#1098ad',
    brightWhite: '#b4b5c0',
  },
  dark: {
    background: '#0d0e12',
    foreground: '#dcdde5',
    cursor: '#a8a5ff',
    cursorAccent: '#0d0e12',
    selectionBackground: '#3a3870',
    selectionInactiveBackground: '#2a2b38',
    black: '#2a2b33',
    red: '#ff7b72',
    green: '#4cc38a',
    yellow: '#e5c07b',
    blue: '#7aa2f7',
    magenta: '#c49bff',
    cyan: '#56c8d8',
    white: '#c9cad3',
    brightBlack: '#7e7f8c',
    brightRed: '#ff9d96',
    brightGreen: '#6fdca5',
    brightYellow: '#f2d28b',
    brightBlue: '#9ab8ff',
    brightMagenta: '#d7b8ff',
    brightCyan: '#7fdbe8',
    brightWhite: '#f4f4f8',
  },
};

/** Search highlights (the search addon wants #RRGGBB). */
export const SEARCH_DECORATIONS = {
  light: { matchBackground: '#fff1b8', matchOverviewRuler: '#e5b700', activeMatchBackground: '#ffc94d', activeMatchColorOverviewRuler: '#d08700' },
  dark: { matchBackground: '#5c4a12', matchOverviewRuler: '#c9a227', activeMatchBackground: '#a77b0b', activeMatchColorOverviewRuler: '#f2d28b' },
} as const;
