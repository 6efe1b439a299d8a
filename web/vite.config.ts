/// <reference types="vitest/config" />
import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname, relative, resolve } from 'node:path'
import { defineConfig, type Plugin } from 'vite'
import vue from '@vitejs/plugin-vue'
import Components from 'unplugin-vue-components/vite'
import { VantResolver } from '@vant/auto-import-resolver'

// Vant's icon CSS carries its 25 KB font as a data: URL, so a phone page could not paint (nor
// run its scripts) until that font had come down with the CSS. Written out as its own file, the
// font is fetched only once an icon shows, off the page's critical path.
function vantIconFontFile(): Plugin {
  const FONT = /url\(data:font\/woff2;[^,]*base64,([A-Za-z0-9+/=]+)\)\s*format\(["']?woff2["']?\)(\s*,\s*url\([^)]*\)\s*format\(["']?woff["']?\))?/
  const file = resolve(import.meta.dirname, 'node_modules/.cache/vant-icon/vant-icon.woff2')
  return {
    name: 'bihuan:vant-icon-font-file',
    enforce: 'pre',
    transform(code, id) {
      if (!/[\\/]vant[\\/]es[\\/]icon[\\/]index\.css$/.test(id)) return null
      const m = FONT.exec(code)
      if (!m) return this.error('vant icon font: no inline woff2 found (Vant changed its CSS?)')
      mkdirSync(dirname(file), { recursive: true })
      writeFileSync(file, Buffer.from(m[1], 'base64'))
      return code.replace(m[0], `url("${relative(dirname(id), file)}") format("woff2")`)
    },
  }
}

const page = (name: string) => resolve(import.meta.dirname, `${name}.html`)

// Three apps, three entries: the desk (Element Plus) must never weigh down the customer's
// phone page, so each entry pulls only its own UI kit. FastAPI serves dist/ (see main.py).
// The customer's page is built on its own: it shares no chunk with the desk or the engineer
// app, and all it needs to show comes as one script and one stylesheet (each extra file is
// another round trip on a slow phone link, and a browser opens only six at a time).
export default defineConfig({
  plugins: [vantIconFontFile(), vue(), Components({ resolvers: [VantResolver()], dts: false })],
  // vue-i18n (desk only): composition API only, no devtools hooks in production
  define: {
    __VUE_I18N_LEGACY_API__: 'false',
    __VUE_I18N_FULL_INSTALL__: 'true',
    __INTLIFY_PROD_DEVTOOLS__: 'false',
  },
  resolve: { alias: { '@': resolve(import.meta.dirname, 'src') } },
  build: { outDir: 'dist' },
  environments: {
    client: {
      build: { emptyOutDir: true, rolldownOptions: { input: { desk: page('desk'), mobile: page('mobile') } } },
    },
    portal: {
      consumer: 'client',
      // no Options API in these pages (Vant and our components use setup): Vue ships smaller
      define: { __VUE_OPTIONS_API__: 'false' },
      build: {
        emptyOutDir: false,
        copyPublicDir: false,
        modulePreload: { polyfill: false }, // phones that run these pages all know modulepreload
        rolldownOptions: {
          input: { portal: page('portal') },
          // everything the entry loads up front in one chunk; the sign page stays lazy
          output: { codeSplitting: { groups: [{ name: 'portal', tags: ['$initial'] }] } },
        },
      },
    },
  },
  builder: {
    async buildApp(builder) {
      await builder.build(builder.environments.client)
      await builder.build(builder.environments.portal)
    },
  },
  server: { proxy: { '/api': 'http://127.0.0.1:8000' } },
  test: { environment: 'jsdom', include: ['src/**/*.test.ts'] },
})
