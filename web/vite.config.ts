import { resolve } from 'node:path'
import { defineConfig } from 'vite'
import vue from '@vitejs/plugin-vue'
import Components from 'unplugin-vue-components/vite'
import { VantResolver } from '@vant/auto-import-resolver'

// Three apps, three entries: the desk (Element Plus) must never weigh down the customer's
// phone page, so each entry pulls only its own UI kit. FastAPI serves dist/ (see main.py).
export default defineConfig({
  plugins: [vue(), Components({ resolvers: [VantResolver()], dts: false })],
  // vue-i18n: composition API only, no devtools hooks in production (smaller phone bundle)
  define: {
    __VUE_I18N_LEGACY_API__: 'false',
    __VUE_I18N_FULL_INSTALL__: 'true',
    __INTLIFY_PROD_DEVTOOLS__: 'false',
  },
  resolve: { alias: { '@': resolve(__dirname, 'src') } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    rollupOptions: {
      input: {
        desk: resolve(__dirname, 'desk.html'),
        mobile: resolve(__dirname, 'mobile.html'),
        portal: resolve(__dirname, 'portal.html'),
      },
    },
  },
  server: { proxy: { '/api': 'http://127.0.0.1:8000' } },
  test: { environment: 'jsdom', include: ['src/**/*.test.ts'] },
})
