import DefaultTheme from 'vitepress/theme';
import type { Theme } from 'vitepress';
import AdstockExplorer from './components/AdstockExplorer.vue';
import ResponseCurveExplorer from './components/ResponseCurveExplorer.vue';
import BudgetAllocator from './components/BudgetAllocator.vue';
import FitMMM from './components/FitMMM.vue';
import './style.css';
import './widgets.css';

// The interactive figures, usable in any page as <AdstockExplorer />, <ResponseCurveExplorer />,
// <BudgetAllocator /> and <FitMMM />. Each runs the library in the reader's browser.
const theme: Theme = {
  extends: DefaultTheme,
  enhanceApp({ app }) {
    app.component('AdstockExplorer', AdstockExplorer);
    app.component('ResponseCurveExplorer', ResponseCurveExplorer);
    app.component('BudgetAllocator', BudgetAllocator);
    app.component('FitMMM', FitMMM);
  },
};

export default theme;
