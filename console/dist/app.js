var es=(e,t,s)=>()=>{if(s)throw s[0];try{return e&&(t=e(e=0)),t}catch(r){throw s=[r],r}};function ee(e){e&&e.parentNode&&e.remove()}function te(e,t,s){var r,a,i,l={},d=arguments.length;for(i in t)i=="key"?r=t[i]:i=="ref"&&typeof e!="function"?a=t[i]:l[i]=t[i];return d>2&&(l.children=d>3?Ue.call(arguments,2):s),ie(e,l,r,a,null)}function Xe(e,t,s){var r,a,i,l=Y({},e.props),d=arguments.length;for(i in t)i=="key"?r=t[i]:i=="ref"&&typeof e.type!="function"?a=t[i]:l[i]=t[i];return d>2&&(l.children=d>3?Ue.call(arguments,2):s),ie(e.type,l,r!==void 0?r:e.key,a!==void 0?a:e.ref,null)}function ie(e,t,s,r,a){var i={type:e,props:t,key:s,ref:r,__k:null,__:null,__b:0,__e:null,__c:null,constructor:fe,__v:a||++wt,__i:-1,__u:0};return!a&&S.vnode&&S.vnode(i),i}function R(e){return e.children}function Ee(e,t){this.props=e,this.context=t,this.__g=0}function z(e,t){if(t==null)return e.__&&z(e.__,e.__i+1);for(var s;t<e.__k.length;t++)if((s=e.__k[t])&&s.__e)return s.__e;return typeof e.type!="function"||e.props.__P?null:z(e)}function ss(e){var t,s=e.__v,r=s.__e,a=[],i=[],l=e.__P;l&&((t=Y({constructor:fe},s)).__v=s.__v+1,S.vnode&&S.vnode(t),tt(l,t,s,e.__n,l.namespaceURI,32&s.__u?[r]:null,a,r||z(s),32&s.__u,i),t.__v=s.__v,t.__.__k[t.__i]=t,Mt(a,t,i),s.__=s.__e=null,t.__e!=r&&xt(t))}function xt(e){if((e=e.__)&&e.__c&&!e.props.__P)return e.__e=null,e.__k.some(function(t){return t&&(e.__e=t.__e)}),xt(e)}function ze(e){(8&e.__g||(e.__g|=8,J.push(e),Pe++))&&Je==S.debounceRendering||((Je=S.debounceRendering)||queueMicrotask)(Dt)}function Dt(){try{for(var e,t=1;J.length;)J.length>t&&J.sort(Et),e=J.shift(),t=J.length,8&e.__g&&ss(e)}finally{(Pe=J.length)&&(Je||queueMicrotask)(Dt)}}function Ct(e,t,s,r,a,i,l,d,p,m,u){var g,y,c,f,A,_,E=r.__k||De,k=t.length;for(p=rs(s,t,E,p,k),g=0;g<k;g++)(c=s.__k[g])!=null&&(y=~c.__i&&E[c.__i]||xe,c.__i=g,_=tt(e,c,y,a,i,l,d,p,m,u),f=c.__e,(y.ref!=c.ref||8&y.__u)&&(y.ref&&nt(y.ref,null,c,y),c.ref&&u.push(c.ref,c.__c||f,c)),A=A||f,4&c.__u?(p=Ut(c,p,e,!y.__v),y.__e&&(y.__e=null)):typeof c.type=="function"&&_!==void 0?p=_:f&&(p=f.nextSibling),c.__u&=-21);return s.__e=A,p}function rs(e,t,s,r,a){var i,l,d,p,m,u,g,y,c,f=s.length,A=f,_=0,E=0,k=e.__k=Array(a);for(i=0;i<a;i++)(l=t[i])!=null&&typeof l!="boolean"&&typeof l!="function"?(typeof l!="object"||l.constructor===String?l=k[i]=ie(null,l):Ce(l)?l=k[i]=ie(R,{children:l}):l.constructor===fe&&l.__b?l=k[i]=ie(l.type,l.props,l.key,l.ref,l.__v):k[i]=l,p=i+_,l.__=e,l.__b=e.__b+1,d=null,~(m=l.__i=os(l,s,p,A))&&(A--,(d=s[m])&&(d.__u|=2)),d&&d.__v?(l.__u|=16,m==p-1?_--:m==p+1?_++:m!=p&&(m>p?_--:_++,E=1)):(~m||(a>f?_--:a<f&&_++),typeof l.type!="function"&&(l.__u|=4))):k[i]=null;if(E){for(u=[],g=[],i=0;i<a;i++)if((l=k[i])&&16&l.__u){for(_=0,y=u.length;_<y;)u[c=_+y>>1]<l.__i?_=c+1:y=c;u[_]=l.__i,g[i]=_+1}for(_=u.length;i--;)g[i]&&(g[i]==_?_--:k[i].__u|=4)}if(A)for(i=0;i<f;i++)!(d=s[i])||2&d.__u||(d.__e==r&&(r=z(d)),st(d,d));return r}function Ut(e,t,s,r){var a,i,l,d;if(typeof e.type=="function"){if(e.props.__P)return t;if(a=e.__k)for(i=0;i<a.length;i++)a[i]&&(a[i].__=e,t=Ut(a[i],t,s,!1));return t}for(t&&!t.parentNode&&(t=z(e))&&!t.parentNode&&(t=null),l=e.__e,d=t;d&&d.nodeType==8;)d=d.nextSibling;for(l!=d&&(!r&&s.moveBefore&&l.parentNode?s.moveBefore(l,t):s.insertBefore(l,t||null)),t=l;(t=t&&t.nextSibling)&&t.nodeType==8&&!t.data.startsWith("$s"););return t}function et(e,t){return t=t||[],e!=null&&typeof e!="boolean"&&(Ce(e)?e.some(function(s){et(s,t)}):t.push(e)),t}function os(e,t,s,r){var a,i=e.key,l=e.type,d=t[s],p=d&&!(2&d.__u);if(d===null&&i==null||p&&i==d.key&&l==d.type)return s;if(r>(p?1:0)){for(a=s-1;a>=0;a--)if((d=t[a])&&!(2&d.__u)&&i==d.key&&l==d.type)return a;for(a=s+1;a<t.length;a++)if((d=t[a])&&!(2&d.__u)&&i==d.key&&l==d.type)return a}return-1}function St(e,t,s){s==null&&(s=""),t[0]=="-"?e.setProperty(t,s):e[t]=s}function Se(e,t,s,r,a){var i,l;if(t=="style")if(typeof s=="string")e.style.cssText=s;else{if(typeof r=="string"&&(e.style.cssText=r=""),r)for(t in r)s&&t in s||St(e.style,t);if(s)for(t in s)r&&s[t]==r[t]||St(e.style,t,s[t])}else if(t[0]=="o"&&t[1]=="n")typeof s!="function"&&(s=null),typeof r!="function"&&(r=null),(e.__e||(e.__e={}))[t]=s,s&&r||(l=Ye[t]||(Ye[t]=is(t)),(e.__a||(e.__a={}))[t]=Ze,i=t!=(t=t.replace(Tt,"$1")),(t=t.slice(2))[0]<"a"&&(t=t.toLowerCase()),s?e.addEventListener(t,l,i):e.removeEventListener(t,l,i));else{if(a=="http://www.w3.org/2000/svg")t=t.replace(/xlink(H|:h)/,"h").replace(/sName$/,"s");else if(t!="width"&&t!="height"&&t!="href"&&t!="list"&&t!="form"&&t!="tabIndex"&&t!="download"&&t!="rowSpan"&&t!="colSpan"&&t!="role"&&t!="popover"&&t in e)try{return void(e[t]=s??"")}catch{}if(typeof s=="function")return;s==null||s===!1&&t[4]!="-"?e.removeAttribute(t):e.setAttribute(t,t=="popover"&&s==1?"":s)}}function is(e){return function(t){var s=this.__e;if(s){if(s=s[e],t[we]==null)t[we]=Ze++;else if(t[we]<this.__a[e])return;return s(S.event?S.event(t):t)}}}function tt(e,t,s,r,a,i,l,d,p,m){var u,g,y,c,f,A,_,E,k,P,T,me,Re,oe,Q,M,$,W,G=t.type;if(t.constructor!==fe)return null;128&s.__u&&(p=32&s.__u,u=s.__c.__z)&&(t.__u|=p,g=i=[],u.nodeType==8?d=Te(u,i):i.push(u),d=i[0]||d),(u=S.__b)&&u(t);e:if(typeof G=="function"){y=l.length;try{if(E=t.props,k=(u=G.prototype)&&u.render,P=(u=G.contextType)&&r[u.__c],T=u?P?P.props.value:u.__:r,(c=s.__c)?(t.__c=c,2&c.__g&&(c.__g|=1)):(k?t.__c=c=new G(E,T):(t.__c=c=new Ee(E,T),c.constructor=G,c.render=ls),P&&P.sub(c),c.state||(c.state={}),c.__n=r,c.__g|=8,c.__h=[],c.__k=[]),k&&(c.__s||(c.__s=c.state),G.getDerivedStateFromProps&&(c.__s==c.state&&(c.__s=Y({},c.__s)),Y(c.__s,G.getDerivedStateFromProps(E,c.__s)))),f=c.props,A=c.state,c.__v=t,s.__c){if(E!==f&&k&&!G.getDerivedStateFromProps&&c.componentWillReceiveProps&&c.componentWillReceiveProps(E,T),t.__v==s.__v&&!(8&c.__g)||!(4&c.__g)&&c.shouldComponentUpdate&&c.shouldComponentUpdate(E,c.__s,T)===!1){t.__v!=s.__v&&(c.props=E,c.state=c.__s,c.__g&=-9),t.__e=s.__e,t.__k=s.__k,t.__k.some(function(H){H&&(H.__=t)}),De.push.apply(c.__h,c.__k),c.__k=[],c.__h.length&&l.push(c),d=z(s);break e}c.componentWillUpdate&&c.componentWillUpdate(E,c.__s,T),k&&c.componentDidUpdate&&c.__h.push(function(){c.componentDidUpdate(f,A,_)})}else k&&!G.getDerivedStateFromProps&&c.componentWillMount&&c.componentWillMount(),k&&c.componentDidMount&&c.__h.push(c.componentDidMount);c.context=T,c.props=E,c.__P=e,c.__g&=-5,me=S.__r,Re=k?25:0;do c.__g&=-9,me&&me(t),u=c.render(c.props,c.state=c.__s,c.context);while(8&c.__g&&++Re<25);k&&(De.push.apply(c.__h,c.__k),c.__k=[]),c.state=c.__s,c.getChildContext&&(r=Y({},r,c.getChildContext())),k&&s.__c&&c.getSnapshotBeforeUpdate&&(_=c.getSnapshotBeforeUpdate(f,A)),oe=u&&u.type===R&&u.key==null?u.props.children:u,E.__P&&(u=d,a=(e=E.__P).namespaceURI,p=i=null,s.props&&s.props.__P!=e&&(s.__k.some(function(H){H&&st(H,H)}),s.__k=null),d=s.__k?z(s,0):null),d=Ct(e,Ce(oe)?oe:[oe],t,s,r,a,i,l,d,p,m),E.__P&&(t.__e=null,d=u),t.__u&=-161,g&&g.some(ee),c.__h.length&&l.push(c),1&c.__g&&(c.__g&=-4)}catch(H){if(l.length=y,t.__v=null,p||i)if(H&&H.then){if(t.__u|=128|p,i){for(~($=i.indexOf(d||void 0))||($=i.length);(W=i[$-1])&&W.nodeType==8;)$--;for(;$<i.length;$++)if(W=i[$])if(i[$]=null,Q){if(W==M)break}else{if(W.nodeType!=8)break;W.data.startsWith("$s")&&(M=Te(Q=W))}}if(!Q){for(;d&&d.nodeType==8&&d.nextSibling;)d=d.nextSibling;Q=d}(u=Te(Q=t.__c.__z||(t.__c.__z=Q)))?(t.__e=Q,d=u):t.__e=d,d=d&&d.nextSibling}else i&&i.some(ee);else t.__e=s.__e;t.__k||(t.__k=s.__k||[]),H&&H.then||It(t),S.__e(H,t,s)}}else d=t.__e=as(s.__e,t,s,r,a,i,l,p,m,e);return(u=S.diffed)&&u(t),d}function Te(e,t){if(e&&e.nodeType==8&&e.data.startsWith("$s"))for(var s=1;e=e.nextSibling;){if(e.nodeType==8){if(e.data.startsWith("$s"))s++;else if(e.data.startsWith("/$s")&&!--s)return e}t&&t.push(e)}}function It(e){e&&(e.__c&&(e.__c.__g|=4),e.__k&&e.__k.some(It))}function Mt(e,t,s){for(var r=0;r<s.length;)nt(s[r++],s[r++],s[r++]);S.__c&&S.__c(t,e),e.some(function(a){try{e=a.__h,a.__h=[],e.some(function(i){i.call(a)})}catch(i){S.__e(i,a.__v)}})}function as(e,t,s,r,a,i,l,d,p,m){var u,g,y,c,f,A,_,E,k=s.props||xe,P=t.props,T=t.type;if(T=="svg"?a="http://www.w3.org/2000/svg":T=="math"?a="http://www.w3.org/1998/Math/MathML":a||(a="http://www.w3.org/1999/xhtml"),i){for(u=0;u<i.length;u++)if((f=i[u])&&(T?f.localName==T:f.nodeType==3)){e=f,i[u]=null;break}}if(!e){if(E=m.ownerDocument||document,!T)return E.createTextNode(P);e=E.createElementNS(a,T,P.is?P:m),d&&(S.__m&&S.__m(t,i),d=!1),i=null}if(T){if(m=T=="template"&&e.content||e,i=T=="textarea"&&P.defaultValue!=null?null:i&&Ue.call(m.childNodes),!d&&i)for(k={},u=0;u<e.attributes.length;u++)k[(f=e.attributes[u]).name]=f.value;for(u in k)f=k[u],u=="dangerouslySetInnerHTML"?y=f:u=="children"||u in P||u=="value"&&"defaultValue"in P||u=="checked"&&"defaultChecked"in P||Se(e,u,null,f,a);for(u in P)f=P[u],u=="children"?c=f:u=="dangerouslySetInnerHTML"?g=f:u=="value"?A=f:u=="checked"?_=f:d&&typeof f!="function"||k[u]===f||Se(e,u,f,k[u],a);g?(d||y&&(g.__html==y.__html||g.__html==e.innerHTML)||(e.innerHTML=g.__html),t.__k=[]):(y&&(e.textContent=""),(T=="foreignObject"||a=="http://www.w3.org/1998/Math/MathML"&&ns.test(T))&&(a="http://www.w3.org/1999/xhtml"),Ct(m,Ce(c)?c:[c],t,s,r,a,i,l,i?i[0]:s.__k&&z(s,0),d,p),i&&i.some(ee)),d&&T!="textarea"||(u="value",T=="progress"&&A==null?e.removeAttribute(u):A==null||A===e[u]&&(T!="progress"||A)||Se(e,u,A,k[u],a),u="checked",_!=null&&_!=e[u]&&Se(e,u,_,k[u],a))}else k===P||d&&e.data==P||(e.data=P);return e}function nt(e,t,s,r){try{typeof e=="function"?t?t.__x=e(t)||1:r&&(r=r.__c||r.__e)&&(t=r.__x)&&(r.__x=null,typeof t=="function"?t():e(null)):e.current=t}catch(a){S.__e(a,s)}}function st(e,t,s){var r,a,i,l;if(S.unmount&&S.unmount(e),!(r=e.ref)||r.current&&r.current!=e.__e||nt(r,null,t,e),r=e.__c){if(r.componentWillUnmount)try{r.componentWillUnmount()}catch(d){S.__e(d,t)}r.__P=r.__n=null}if(r=e.__k)for(l=0;l<r.length;l++)r[l]&&st(r[l],t,typeof e.type!="function"||s&&!e.props.__P);!s&&(r=e.__c)&&(r=r.__z)&&(a=Te(r,i=[]))&&(r==e.__e&&i.some(ee),ee(a),ee(r)),s||ee(e.__e),e.__e=e.__c=e.__=null}function ls(e,t,s){return this.constructor(e,s)}function Nt(e,t){var s,r,a,i;S.__&&S.__(e,t),t.nodeType==9&&(t=t.documentElement),r=(s=e&&32&e.__u)?null:t.__k,t.__k=ie(R,{children:[e]}),a=[],i=[],tt(t,t.__k,r||xe,xe,t.namespaceURI,r?null:t.firstChild?Ue.call(t.childNodes):null,a,r?r.__e:t.firstChild,s,i),Mt(a,t.__k,i),t.__k.props.children=null}function rt(e){function t(s){var r,a;return this.getChildContext||(r=new Set,(a={})[t.__c]=this,this.getChildContext=function(){return a},this.shouldComponentUpdate=function(i){this.props.value!=i.value&&r.forEach(function(l){l.__g|=4,ze(l)})},this.sub=function(i){r.add(i);var l=i.componentWillUnmount;i.componentWillUnmount=function(){r.delete(i),l&&l.call(i)}}),s.children}return t.__c="__cC"+Pt++,t.__=e,t.Provider=(t.Consumer=function(s,r){return s.children(r)}).contextType=t,t}var S,wt,ts,J,Je,Pe,Et,we,Tt,Ze,Ye,Pt,fe,xe,De,ns,Ce,Ue,Y,ae=es(()=>{fe=Symbol.for("pv"),xe={},De=[],ns=/^m(i|n|o|s|text|space)$/,Ce=Array.isArray,Ue=De.slice,Y=Object.assign;S={__e:function(e,t,s,r){for(var a,i,l;t=t.__;)if((a=t.__c)&&!(1&a.__g)){a.__g|=4;try{if((l=(i=a.constructor)&&i.getDerivedStateFromError)&&a.setState(i.getDerivedStateFromError(e)),a.componentDidCatch&&(a.componentDidCatch(e,r||{}),l=1),l&&8&a.__g)return void(a.__g|=2)}catch(d){e=d}}throw Pe=0,e}},wt=0,ts=function(e){return e!=null&&e.constructor===fe},Ee.prototype.setState=function(e,t){var s=this.__s;s&&s!=this.state||(s=this.__s=Y({},this.state)),typeof e=="function"&&(e=e(Y({},s),this.props)),e&&(Y(s,e),this.__v&&(t&&this.__k.push(t),ze(this)))},Ee.prototype.forceUpdate=function(e){this.__v&&(this.__g|=4,e&&this.__h.push(e),ze(this))},Ee.prototype.render=R,J=[],Pe=0,Et=function(e,t){return e.__v.__b-t.__v.__b},we=Symbol(),Tt=/(PointerCapture)$|Capture$/i,Ze=0,Ye={},Pt=0});ae();ae();var Z,x,ot,Lt,it=Object.is,ye=0,qt=[],at=[],C=S,Ot=C.__b,Vt=C.__r,$t=C.diffed,Ft=C.__c,Kt=C.unmount,Bt=C.__;function le(e,t){C.__h&&C.__h(x,e,ye||t),ye=0;var s=x.__H||(x.__H={__:[],__h:[]});return e>=s.__.length&&s.__.push({}),s.__[e]}function v(e){return ye=1,Ie(Wt,e)}function Ie(e,t,s){var r=le(Z++,2);if(r.t=e,!r.__c&&(r.__=[s?s(t):Wt(void 0,t),function(i){var l=(r.__N||r.__)[0],d=r.t(l,i);it(l,d)||(r.__N=[d,r.__[1]],r.__c.setState({}))}],r.__c=x,!x.__f)){x.__f=!0;var a=x.shouldComponentUpdate;x.shouldComponentUpdate=function(i,l,d){var p=this.__H;if(!p)return!0;var m=!1,u=this.props!=i;if(p.__.some(function(y){y.__N&&(m=!0,it(y.__[0],y.__N[0])||(u=!0))}),a){var g=a.call(this,i,l,d);return m?g||u:g}return!m||u}}return r.__}function ne(e,t){var s=le(Z++,3);!C.__s&&dt(s.__H,t)&&(s.__P=!0,s.__=e,s.u=t,x.__H.__h.push(s))}function ut(e,t){var s=le(Z++,4);!C.__s&&dt(s.__H,t)&&(s.__P=!1,s.__=e,s.u=t,x.__h.push(s))}function F(e){return ye=5,_e(function(){return{current:e}},[])}function _e(e,t){var s=le(Z++,7);return dt(s.__H,t)&&(s.__=e(),s.__H=t),s.__}function Qt(e,t){return ye=8,_e(function(){return e},t)}function Me(e){var t=x.context[e.__c],s=le(Z++,9);return s.c=e,t?(s.__==null&&(s.__=!0,t.sub(x)),t.props.value):e.__}function Ne(){var e=le(Z++,11);if(!e.__){for(var t=x.__v;!t.__m&&t.__;)t=t.__;var s=t.__m||(t.__m=[0,0]);e.__="P"+s[0]+"-"+s[1]++}return e.__}function us(){var e;do{for(;e=at.shift();)try{ge(e)}catch(s){C.__e(s,{__:(e=e.__P)&&e.__v})}for(;e=qt.shift();){var t=e.__H;if(e.__P&&t)try{t.__h.some(ge),t.__h.some(lt),t.__h=[]}catch(s){t.__h=[],C.__e(s,e.__v)}}}while(at.length)}C.__b=function(e){x=null,Ot&&Ot(e)},C.__=function(e,t){e&&t.__k&&t.__k.__m&&(e.__m=t.__k.__m),Bt&&Bt(e,t)},C.__r=function(e){Vt&&Vt(e),Z=0;var t=(x=e.__c).__H;t&&(ot==x?x.__h=[]:(t.__h.some(ge),t.__h.some(lt),Z=0),t.__h=[],t.__.some(function(s){s.__N&&(s.__=s.__N),s.u=s.__N=void 0})),ot=x},C.diffed=function(e){$t&&$t(e);var t=e.__c;t&&t.__H&&(t.__H.__h.length&&jt(qt.push(t)),t.__H.__.some(function(s){s.u&&(s.__H=s.u)})),ot=x=null},C.__c=function(e,t){t.some(function(s){try{s.__h.some(ge),s.__h=s.__h.filter(function(r){return!r.__||lt(r)})}catch(r){s.__h=[function(){throw r}]}}),Ft&&Ft(e,t)},C.unmount=function(e){Kt&&Kt(e);var t,s,r=e.__c;r&&r.__H&&(r.__H.__.some(function(a){try{if(a.__P&&a.__c){if(s===void 0){for(s=e.__;s&&(!s.__c||!s.__c.__P);)s=s.__;s=s&&s.__c}a.__P=s,jt(at.push(a))}else ge(a)}catch(i){t=i}}),r.__H=void 0,t&&C.__e(t,r.__v))};var Ht=typeof requestAnimationFrame=="function";function ds(e){var t,s=function(){clearTimeout(r),Ht&&cancelAnimationFrame(t),setTimeout(e)},r=setTimeout(s,35);Ht&&(t=requestAnimationFrame(s))}function jt(e){e!=1&&Lt==C.requestAnimationFrame||((Lt=C.requestAnimationFrame)||ds)(us)}function ge(e){var t=x,s=e.__c;typeof s=="function"&&(e.__c=void 0,s()),x=t}function lt(e){var t=x;e.__c=e.__(),x=t}function dt(e,t){return!e||e.length!=t.length||t.some(function(s,r){return!it(s,e[r])})}function Wt(e,t){return typeof t=="function"?t(e):t}ae();var ue,he;function cs(e){return!he||(typeof he=="string"?e.startsWith(he):he.test(e))}function ps(e,t){let s="";if(ue=void 0,t&&t.type==="click"){if(t.ctrlKey||t.metaKey||t.altKey||t.shiftKey||t.button!==0)return e;let r=t.composedPath().find(i=>i.nodeName=="A"&&i.href),a=r&&r.getAttribute("href");if(!r||r.origin!=location.origin||/^#/.test(a)||!/^(_?self)?$/i.test(r.target)||!cs(a)||r.download)return e;ue=!0,t.preventDefault(),s=r.href.replace(location.origin,"")}else t&&t.url?(ue=!t.replace,s=t.url):s=location.pathname+location.search;return ue===!0?history.pushState(null,"",s):ue===!1&&history.replaceState(null,"",s),s}var ms=(e,t,s={})=>{e=e.split("/").filter(Boolean),t=(t||"").split("/").filter(Boolean),s.params||(s.params={});for(let r=0,a,i;r<Math.max(e.length,t.length);r++){let[,l,d,p]=(t[r]||"").match(/^(:?)(.*?)([+*?]?)$/);if(a=e[r],!(!l&&d==a)){if(!l&&a&&p=="*"){s.rest="/"+e.slice(r).join("/");break}if(!l||!a&&p!="?"&&p!="*")return;if(i=p=="+"||p=="*",i?a=e.slice(r).map(decodeURIComponent).join("/")||void 0:a&&(a=decodeURIComponent(a)),s.params[d]=a,d in s||(s[d]=a),i)break}}return s};function se(e){let[t,s]=Ie(ps,e.url||location.pathname+location.search);e.scope&&(he=e.scope);let r=ue===!0,a=_e(()=>{let i=new URL(t,location.origin),l=i.pathname.replace(/\/+$/g,"")||"/";return{url:t,path:l,query:Object.fromEntries(i.searchParams),route:(d,p)=>s({url:d,replace:p}),back:()=>{history.back()},forward:()=>{history.forward()},wasPush:r}},[t]);return ut(()=>(addEventListener("click",s),addEventListener("popstate",s),()=>{removeEventListener("click",s),removeEventListener("popstate",s)}),[]),te(se.ctx.Provider,{value:a},e.children)}var fs=Promise.resolve();function Ve(e){let[t,s]=Ie(M=>M+1,0),{url:r,query:a,wasPush:i,path:l}=O();if(!r)throw new Error("preact-iso's <Router> must be used within a <LocationProvider>, see: https://github.com/preactjs/preact-iso#locationprovider");let{rest:d=l,params:p={}}=Me(pt),m=F(!1),u=F(l),g=F(1),y=F(),c=F(),f=F(),A=F(!1),_=F();_.current=!1;let E,k,P;et(e.children).some(M=>{if(ms(d,M.props.path,P={...M.props,path:d,query:a,params:Object.assign({},p),rest:""}))return E=Xe(M,P);M.props.default&&(k=Xe(M,P))});let T=E||k,me=y.current&&y.current.__u&Le&&y.current.__u&Oe,Re=y.current&&y.current.__h,oe=_e(()=>{c.current=y.current,y.current=te(pt.Provider,{value:P},T);let M=c.current&&c.current.props.children;return!M||!T||T.type!==M.type||T.props.component!==M.props.component?(g.current++,!0):!1},[r,JSON.stringify(P)]);me?(y.current.__u|=Le,y.current.__u|=Oe):Re&&(y.current.__h=!0);let Q=c.current;return c.current=null,this.__c=(M,$)=>{_.current=!0,c.current=Q,e.onLoadStart&&e.onLoadStart(r),m.current=!0;let W=g.current;M.then(()=>{W===g.current&&(c.current=null,y.current&&($.__h&&(y.current.__h=$.__h),$.__u&Oe&&(y.current.__u|=Oe),$.__u&Le&&(y.current.__u|=Le)),fs.then(s))})},ut(()=>{let M=this.__v&&this.__v.__e;if(_.current){!A.current&&!f.current&&(f.current=M);return}!A.current&&f.current&&(f.current!==M&&f.current.remove(),f.current=null),A.current=!0,u.current!==l&&(i&&scrollTo(0,0),e.onRouteChange&&e.onRouteChange(r),u.current=l),e.onLoadEnd&&m.current&&e.onLoadEnd(r),m.current=!1},[l,i,t]),oe?[te(ct,{r:y,key:g.current}),te(ct,{r:c,key:g.current-1})]:te(ct,{r:y,key:g.current})}var Le=32,Oe=128,ct=({r:e})=>e.current;Ve.Provider=se;se.ctx=rt({});var pt=rt({}),K=e=>te(e.component,e),O=()=>Me(se.ctx),be=()=>Me(pt);var gs={appName:"gerbang console",skipToContent:"Skip to content",nav:"Main",navUsers:"Users",navRoles:"Roles",navAudit:"Audit log",navAccount:"My account",signOut:"Sign out",signedInAs:e=>`Signed in as ${e}`,loading:"Loading\u2026",save:"Save",saved:"Saved.",cancel:"Cancel",delete:"Delete",confirm:"Confirm",create:"Create",revoke:"Revoke",remove:"Remove",yes:"Yes",no:"No",any:"Any",never:"Never",none:"None",previous:"Previous page",next:"Next page",forbidden:"You are not allowed to do this.",notFound:"Nothing here.",networkError:"gerbang cannot be reached. Check the connection and try again.",sessionExpired:"Your session ended. Please sign in again.",signInTitle:"Sign in",usernameOrEmail:"Username or email",password:"Password",signIn:"Sign in",signInWithPasskey:"Sign in with a passkey",secondStepTitle:"Second step",secondStepHelp:"Enter the code from your authenticator app, or one of your recovery codes.",code:"Code",verify:"Verify",backToSignIn:"Back",tryAgainIn:e=>`Too many attempts. Try again in ${e} s.`,passkeyCancelled:"The passkey prompt was closed.",usersTitle:"Users",search:"Search",searchPlaceholder:"Email, username or name",role:"Role",status:"Status",active:"Active",inactive:"Inactive",sortBy:"Sort by",sortNewest:"Newest first",sortOldest:"Oldest first",sortEmail:"Email A\u2013Z",sortUsername:"Username A\u2013Z",sortName:"Name A\u2013Z",usersCount:e=>e===1?"1 user":`${e} users`,newUser:"New user",email:"Email",username:"Username",displayName:"Display name",firstName:"First name",lastName:"Last name",phoneNumber:"Phone number",address:"Address",avatarUrl:"Avatar URL",locale:"Language of mails",localeHelp:"en or id; empty: the language of the browser that asks for a mail",roles:"Roles",created:"Created",lastLogin:"Last sign-in",emailVerified:"Email verified",profile:"Profile",clearHint:"An emptied field is cleared.",activate:"Activate",deactivate:"Deactivate",accountActive:"This account is active.",accountInactive:"This account is deactivated: it cannot sign in.",saveRoles:"Save roles",setPassword:"Set password",newPassword:"New password",passwordSet:"Password set; every session of this user ended.",sessions:"Sessions",noSessions:"No live sessions.",device:"Device",ipAddress:"IP address",lastUsed:"Last used",expires:"Expires",thisSession:"this session",revokeAll:"Revoke all sessions",sessionsEnded:e=>e===1?"1 session ended.":`${e} sessions ended.`,mfa:"Multi-factor sign-in",mfaNone:"No second factor and no passkey.",mfaReset:"Reset multi-factor sign-in",mfaResetDone:"Second factors and passkeys removed.",confirmMfaReset:"Remove this user\u2019s authenticator app, recovery codes and passkeys?",deleteUser:"Delete user",confirmDeleteUser:e=>`Delete ${e}? This cannot be undone.`,createUserTitle:"New user",passwordOptional:"Password (optional: without one the account cannot sign in yet)",rolesTitle:"Roles",newRole:"New role",name:"Name",roleCode:"Code",description:"Description",permissions:"Permissions",appPermissions:"Application permissions",appPermissionsHelp:"One per line, e.g. invoice:write",system:"system",members:"Members",memberCount:e=>e===1?"1 member":`${e} members`,noMembers:"No members.",createdBy:"Created by",deleteRole:"Delete role",confirmDeleteRole:e=>`Delete the role ${e}? Its members lose it.`,createRoleTitle:"New role",accountTitle:"My account",changePassword:"Change password",currentPassword:"Current password",passwordChanged:"Password changed; your other sessions ended.",revokeOthers:"Sign out everywhere else",totp:"Authenticator app",totpOn:"An authenticator app is set up.",totpOff:"No authenticator app is set up.",totpBegin:"Set up an authenticator app",totpScan:"Scan this code with the app, or enter the key by hand, then type the code it shows.",totpQr:"QR code for the authenticator app",totpKey:"Key",totpConfirm:"Turn on",recoveryCodes:"Recovery codes",recoveryCodesHelp:"Each works once, in place of a code. Keep them somewhere safe: they are not shown again.",recoveryCodesRegenerate:"New recovery codes",totpDisable:"Turn off",passkeys:"Passkeys",noPasskeys:"No passkeys.",passkeyName:"Passkey name",addPasskey:"Add a passkey",passkeyAdded:"Passkey added.",apiKeys:"API keys",noApiKeys:"No API keys.",keyName:"Key name",expiresAt:"Expires (optional)",createKey:"Create key",keySecret:"The key\u2019s secret, shown once: copy it now.",prefix:"Starts with",auditTitle:"Audit log",action:"Action",actorId:"Actor (user id)",subjectUserId:"About user (user id)",since:"From",until:"Until",filter:"Filter",at:"When",actor:"Actor",subject:"Subject",details:"Details",eventsCount:e=>e===1?"1 event":`${e} events`,noEvents:"No events.",anonymousActor:"anonymous",permissionNames:{USER_READ:"Read users",USER_WRITE:"Change users",ROLE_READ:"Read roles",ROLE_WRITE:"Change roles",AUDIT_READ:"Read the audit log"}},ys={appName:"konsol gerbang",skipToContent:"Langsung ke isi",nav:"Utama",navUsers:"Pengguna",navRoles:"Peran",navAudit:"Log audit",navAccount:"Akun saya",signOut:"Keluar",signedInAs:e=>`Masuk sebagai ${e}`,loading:"Memuat\u2026",save:"Simpan",saved:"Tersimpan.",cancel:"Batal",delete:"Hapus",confirm:"Konfirmasi",create:"Buat",revoke:"Cabut",remove:"Lepas",yes:"Ya",no:"Tidak",any:"Semua",never:"Tidak pernah",none:"Tidak ada",previous:"Halaman sebelumnya",next:"Halaman berikutnya",forbidden:"Anda tidak diizinkan melakukan ini.",notFound:"Tidak ada apa-apa di sini.",networkError:"gerbang tidak dapat dihubungi. Periksa koneksi lalu coba lagi.",sessionExpired:"Sesi Anda berakhir. Silakan masuk lagi.",signInTitle:"Masuk",usernameOrEmail:"Nama pengguna atau email",password:"Kata sandi",signIn:"Masuk",signInWithPasskey:"Masuk dengan passkey",secondStepTitle:"Langkah kedua",secondStepHelp:"Masukkan kode dari aplikasi autentikator, atau salah satu kode pemulihan Anda.",code:"Kode",verify:"Verifikasi",backToSignIn:"Kembali",tryAgainIn:e=>`Terlalu banyak percobaan. Coba lagi dalam ${e} detik.`,passkeyCancelled:"Jendela passkey ditutup.",usersTitle:"Pengguna",search:"Cari",searchPlaceholder:"Email, nama pengguna atau nama",role:"Peran",status:"Status",active:"Aktif",inactive:"Nonaktif",sortBy:"Urutkan",sortNewest:"Terbaru dulu",sortOldest:"Terlama dulu",sortEmail:"Email A\u2013Z",sortUsername:"Nama pengguna A\u2013Z",sortName:"Nama A\u2013Z",usersCount:e=>`${e} pengguna`,newUser:"Pengguna baru",email:"Email",username:"Nama pengguna",displayName:"Nama tampilan",firstName:"Nama depan",lastName:"Nama belakang",phoneNumber:"Nomor telepon",address:"Alamat",avatarUrl:"URL avatar",locale:"Bahasa email",localeHelp:"en atau id; kosong: bahasa peramban yang meminta email",roles:"Peran",created:"Dibuat",lastLogin:"Terakhir masuk",emailVerified:"Email terverifikasi",profile:"Profil",clearHint:"Kolom yang dikosongkan akan dihapus isinya.",activate:"Aktifkan",deactivate:"Nonaktifkan",accountActive:"Akun ini aktif.",accountInactive:"Akun ini dinonaktifkan: tidak dapat masuk.",saveRoles:"Simpan peran",setPassword:"Atur kata sandi",newPassword:"Kata sandi baru",passwordSet:"Kata sandi diatur; semua sesi pengguna ini berakhir.",sessions:"Sesi",noSessions:"Tidak ada sesi aktif.",device:"Perangkat",ipAddress:"Alamat IP",lastUsed:"Terakhir dipakai",expires:"Berakhir",thisSession:"sesi ini",revokeAll:"Cabut semua sesi",sessionsEnded:e=>`${e} sesi berakhir.`,mfa:"Masuk multi-faktor",mfaNone:"Tidak ada faktor kedua dan tidak ada passkey.",mfaReset:"Atur ulang masuk multi-faktor",mfaResetDone:"Faktor kedua dan passkey dihapus.",confirmMfaReset:"Hapus aplikasi autentikator, kode pemulihan, dan passkey pengguna ini?",deleteUser:"Hapus pengguna",confirmDeleteUser:e=>`Hapus ${e}? Ini tidak dapat dibatalkan.`,createUserTitle:"Pengguna baru",passwordOptional:"Kata sandi (opsional: tanpanya akun belum dapat masuk)",rolesTitle:"Peran",newRole:"Peran baru",name:"Nama",roleCode:"Kode",description:"Deskripsi",permissions:"Izin",appPermissions:"Izin aplikasi",appPermissionsHelp:"Satu per baris, mis. invoice:write",system:"sistem",members:"Anggota",memberCount:e=>`${e} anggota`,noMembers:"Tidak ada anggota.",createdBy:"Dibuat oleh",deleteRole:"Hapus peran",confirmDeleteRole:e=>`Hapus peran ${e}? Anggotanya kehilangan peran ini.`,createRoleTitle:"Peran baru",accountTitle:"Akun saya",changePassword:"Ganti kata sandi",currentPassword:"Kata sandi saat ini",passwordChanged:"Kata sandi diganti; sesi Anda yang lain berakhir.",revokeOthers:"Keluar dari semua perangkat lain",totp:"Aplikasi autentikator",totpOn:"Aplikasi autentikator sudah diatur.",totpOff:"Belum ada aplikasi autentikator.",totpBegin:"Atur aplikasi autentikator",totpScan:"Pindai kode ini dengan aplikasi, atau ketik kuncinya, lalu masukkan kode yang ditampilkan.",totpQr:"Kode QR untuk aplikasi autentikator",totpKey:"Kunci",totpConfirm:"Aktifkan",recoveryCodes:"Kode pemulihan",recoveryCodesHelp:"Masing-masing berlaku sekali, sebagai pengganti kode. Simpan di tempat aman: tidak ditampilkan lagi.",recoveryCodesRegenerate:"Kode pemulihan baru",totpDisable:"Matikan",passkeys:"Passkey",noPasskeys:"Tidak ada passkey.",passkeyName:"Nama passkey",addPasskey:"Tambah passkey",passkeyAdded:"Passkey ditambahkan.",apiKeys:"Kunci API",noApiKeys:"Tidak ada kunci API.",keyName:"Nama kunci",expiresAt:"Berakhir (opsional)",createKey:"Buat kunci",keySecret:"Rahasia kunci, ditampilkan sekali: salin sekarang.",prefix:"Diawali",auditTitle:"Log audit",action:"Tindakan",actorId:"Pelaku (id pengguna)",subjectUserId:"Tentang pengguna (id pengguna)",since:"Dari",until:"Sampai",filter:"Saring",at:"Waktu",actor:"Pelaku",subject:"Subjek",details:"Rincian",eventsCount:e=>`${e} peristiwa`,noEvents:"Tidak ada peristiwa.",anonymousActor:"anonim",permissionNames:{USER_READ:"Membaca pengguna",USER_WRITE:"Mengubah pengguna",ROLE_READ:"Membaca peran",ROLE_WRITE:"Mengubah peran",AUDIT_READ:"Membaca log audit"}};function _s(e){for(let t of e){let s=t.toLowerCase().split("-")[0];if(s==="id"||s==="en")return s}return"en"}var $e=_s(navigator.languages?.length?navigator.languages:[navigator.language]),o=$e==="id"?ys:gs,hs=new Intl.DateTimeFormat($e==="id"?"id-ID":"en-GB",{dateStyle:"medium",timeStyle:"short"});function L(e){return e?hs.format(new Date(e)):o.never}var V=class extends Error{code;extensions;constructor(t){super(t.message),this.extensions=t.extensions??{},this.code=this.extensions.code??"INTERNAL_SERVER_ERROR"}get fields(){return this.code==="BAD_USER_INPUT"?this.extensions.fields??{}:{}}},Fe={token:()=>null,renew:async()=>!1};function Gt(e){Fe=e}async function mt(e,t,s){let r={"content-type":"application/json",accept:"application/graphql-response+json"};s&&(r.authorization=`Bearer ${s}`);let a;try{a=await fetch("/graphql",{method:"POST",headers:r,body:JSON.stringify({query:e.toString(),variables:t}),credentials:"omit"})}catch{throw new V({message:"",extensions:{code:"NETWORK"}})}let i;try{i=await a.json()}catch{throw new V({message:`HTTP ${a.status}`,extensions:{code:"INTERNAL_SERVER_ERROR"}})}let l=i.errors?.[0];if(l)throw new V(l);if(i.data==null)throw new V({message:`HTTP ${a.status}`});return i.data}async function h(e,t){let s=Fe.token();try{return await mt(e,t,s)}catch(r){if(s&&r instanceof V&&r.code==="UNAUTHENTICATED"&&await Fe.renew())return mt(e,t,Fe.token());throw r}}function re(e,t){return mt(e,t,null)}var b=class extends String{__apiType;value;__meta__;constructor(t,s){super(t),this.value=t,this.__meta__=s}toString(){return this.value}},Js=new b(`
    fragment Tokens on AuthPayload {
  accessToken
  refreshToken
  expiresIn
}
    `,{fragmentName:"Tokens"}),Ys=new b(`
    fragment RoleFields on Role {
  id
  name
  code
  description
  isSystem
  permissions
  appPermissions
  userCount
  createdAt
  updatedAt
}
    `,{fragmentName:"RoleFields"}),zs=new b(`
    fragment Profile on User {
  id
  username
  email
  displayName
  firstName
  lastName
  phoneNumber
  address
  avatarUrl
  isActive
  emailVerified
  locale
  createdAt
  updatedAt
  lastLoginAt
  roles {
    id
    name
  }
}
    `,{fragmentName:"Profile"}),Zs=new b(`
    fragment SessionRow on Session {
  id
  current
  createdAt
  lastUsedAt
  expiresAt
  userAgent
  ipAddress
}
    `,{fragmentName:"SessionRow"}),Jt=new b(`
    query MyAccount {
  me {
    ...Profile
    permissions
    appPermissions
    mfaMethods
    sessions {
      ...SessionRow
    }
    passkeys {
      id
      name
      createdAt
      lastUsedAt
    }
    apiKeys {
      id
      name
      prefix
      permissions
      appPermissions
      createdAt
      expiresAt
      lastUsedAt
    }
  }
}
    fragment Profile on User {
  id
  username
  email
  displayName
  firstName
  lastName
  phoneNumber
  address
  avatarUrl
  isActive
  emailVerified
  locale
  createdAt
  updatedAt
  lastLoginAt
  roles {
    id
    name
  }
}
fragment SessionRow on Session {
  id
  current
  createdAt
  lastUsedAt
  expiresAt
  userAgent
  ipAddress
}`),Yt=new b(`
    mutation ChangePassword($currentPassword: String!, $newPassword: String!) {
  changePassword(currentPassword: $currentPassword, newPassword: $newPassword)
}
    `),zt=new b(`
    mutation RevokeOtherSessions {
  revokeOtherSessions
}
    `),Zt=new b(`
    mutation BeginTotpEnrollment {
  beginTotpEnrollment {
    secret
    otpauthUri
    qrSvg
  }
}
    `),Xt=new b(`
    mutation ConfirmTotpEnrollment($code: String!) {
  confirmTotpEnrollment(code: $code)
}
    `),en=new b(`
    mutation DisableTotp($currentPassword: String!) {
  disableTotp(currentPassword: $currentPassword)
}
    `),tn=new b(`
    mutation RegenerateRecoveryCodes($currentPassword: String!) {
  regenerateRecoveryCodes(currentPassword: $currentPassword)
}
    `),nn=new b(`
    mutation BeginPasskeyRegistration {
  beginPasskeyRegistration {
    challengeId
    options
  }
}
    `),sn=new b(`
    mutation FinishPasskeyRegistration($challengeId: String!, $name: String!, $credential: JSON!) {
  finishPasskeyRegistration(
    challengeId: $challengeId
    name: $name
    credential: $credential
  ) {
    id
  }
}
    `),rn=new b(`
    mutation RemovePasskey($id: ID!) {
  removePasskey(id: $id)
}
    `),on=new b(`
    mutation CreateApiKey($input: CreateApiKeyInput!) {
  createApiKey(input: $input) {
    secret
    apiKey {
      id
    }
  }
}
    `),an=new b(`
    mutation RevokeApiKey($id: ID!) {
  revokeApiKey(id: $id)
}
    `),ln=new b(`
    query AuditEvents($first: Int, $after: String, $last: Int, $before: String, $filter: AuditFilter) {
  auditEvents(
    first: $first
    after: $after
    last: $last
    before: $before
    filter: $filter
  ) {
    totalCount
    pageInfo {
      hasNextPage
      hasPreviousPage
      startCursor
      endCursor
    }
    nodes {
      id
      at
      action
      actorId
      actor {
        id
        email
        displayName
      }
      subjectUserId
      subjectRoleId
      ipAddress
      userAgent
      details
    }
  }
}
    `),un=new b(`
    mutation Login($input: LoginInput!) {
  login(input: $input) {
    ...Tokens
  }
}
    fragment Tokens on AuthPayload {
  accessToken
  refreshToken
  expiresIn
}`),dn=new b(`
    mutation CompleteLogin($mfaToken: String!, $code: String!) {
  completeLogin(mfaToken: $mfaToken, code: $code) {
    ...Tokens
  }
}
    fragment Tokens on AuthPayload {
  accessToken
  refreshToken
  expiresIn
}`),cn=new b(`
    mutation BeginPasskeyLogin($usernameOrEmail: String) {
  beginPasskeyLogin(usernameOrEmail: $usernameOrEmail) {
    challengeId
    options
  }
}
    `),pn=new b(`
    mutation FinishPasskeyLogin($challengeId: String!, $credential: JSON!) {
  finishPasskeyLogin(challengeId: $challengeId, credential: $credential) {
    ...Tokens
  }
}
    fragment Tokens on AuthPayload {
  accessToken
  refreshToken
  expiresIn
}`),mn=new b(`
    mutation Refresh($refreshToken: String!) {
  refreshToken(refreshToken: $refreshToken) {
    ...Tokens
  }
}
    fragment Tokens on AuthPayload {
  accessToken
  refreshToken
  expiresIn
}`),fn=new b(`
    mutation Logout {
  logout
}
    `),ft=new b(`
    query Me {
  me {
    id
    username
    email
    displayName
    permissions
  }
}
    `),gn=new b(`
    query Roles {
  roles {
    ...RoleFields
  }
}
    fragment RoleFields on Role {
  id
  name
  code
  description
  isSystem
  permissions
  appPermissions
  userCount
  createdAt
  updatedAt
}`),yn=new b(`
    query Role($id: ID!) {
  role(id: $id) {
    ...RoleFields
    createdBy {
      id
      email
      displayName
    }
    users(first: 100) {
      totalCount
      nodes {
        id
        username
        email
        displayName
      }
    }
  }
}
    fragment RoleFields on Role {
  id
  name
  code
  description
  isSystem
  permissions
  appPermissions
  userCount
  createdAt
  updatedAt
}`),_n=new b(`
    mutation CreateRole($input: CreateRoleInput!) {
  createRole(input: $input) {
    id
  }
}
    `),hn=new b(`
    mutation UpdateRole($id: ID!, $input: UpdateRoleInput!) {
  updateRole(id: $id, input: $input) {
    ...RoleFields
  }
}
    fragment RoleFields on Role {
  id
  name
  code
  description
  isSystem
  permissions
  appPermissions
  userCount
  createdAt
  updatedAt
}`),bn=new b(`
    mutation DeleteRole($id: ID!) {
  deleteRole(id: $id)
}
    `),vn=new b(`
    query Users($first: Int, $after: String, $last: Int, $before: String, $filter: UserFilter, $sort: UserSort) {
  users(
    first: $first
    after: $after
    last: $last
    before: $before
    filter: $filter
    sort: $sort
  ) {
    totalCount
    pageInfo {
      hasNextPage
      hasPreviousPage
      startCursor
      endCursor
    }
    nodes {
      id
      username
      email
      displayName
      isActive
      createdAt
      lastLoginAt
      roles {
        id
        name
      }
    }
  }
}
    `),kn=new b(`
    query User($id: ID!) {
  user(id: $id) {
    ...Profile
    mfaMethods
    sessions {
      ...SessionRow
    }
  }
  roles {
    id
    name
    isSystem
  }
}
    fragment Profile on User {
  id
  username
  email
  displayName
  firstName
  lastName
  phoneNumber
  address
  avatarUrl
  isActive
  emailVerified
  locale
  createdAt
  updatedAt
  lastLoginAt
  roles {
    id
    name
  }
}
fragment SessionRow on Session {
  id
  current
  createdAt
  lastUsedAt
  expiresAt
  userAgent
  ipAddress
}`),Ke=new b(`
    query RoleChoices {
  roles {
    id
    name
  }
}
    `),An=new b(`
    mutation CreateUser($input: CreateUserInput!) {
  createUser(input: $input) {
    id
  }
}
    `),ve=new b(`
    mutation UpdateUser($id: ID!, $input: UpdateUserInput!) {
  updateUser(id: $id, input: $input) {
    ...Profile
  }
}
    fragment Profile on User {
  id
  username
  email
  displayName
  firstName
  lastName
  phoneNumber
  address
  avatarUrl
  isActive
  emailVerified
  locale
  createdAt
  updatedAt
  lastLoginAt
  roles {
    id
    name
  }
}`),Rn=new b(`
    mutation SetUserPassword($id: ID!, $password: String!) {
  setUserPassword(id: $id, password: $password) {
    id
  }
}
    `),Sn=new b(`
    mutation DeleteUser($id: ID!) {
  deleteUser(id: $id)
}
    `),Be=new b(`
    mutation RevokeSession($id: ID!) {
  revokeSession(id: $id)
}
    `),wn=new b(`
    mutation RevokeUserSessions($userId: ID!) {
  revokeUserSessions(userId: $userId)
}
    `),En=new b(`
    mutation ResetUserMfa($userId: ID!) {
  resetUserMfa(userId: $userId)
}
    `);var ht="gerbang.console.refresh",He={status:"loading"},je=null,yt,gt=null,_t=new Set;function ke(e){He=e;for(let t of _t)t()}function qe(){return He}function Tn(e){return _t.add(e),()=>_t.delete(e)}function Pn(e){je=e.accessToken,sessionStorage.setItem(ht,e.refreshToken),clearTimeout(yt);let t=Math.min(60,e.expiresIn/5);yt=setTimeout(()=>{vt()},Math.max(1,e.expiresIn-t)*1e3)}function bt(){je=null,clearTimeout(yt),sessionStorage.removeItem(ht)}async function Qe(e){Pn(e);let{me:t}=await h(ft);ke({status:"signedIn",me:t})}async function bs(){let e=sessionStorage.getItem(ht);if(!e)return!1;try{let{refreshToken:t}=await re(mn,{refreshToken:e});return Pn(t),!0}catch(t){return t instanceof V&&t.code!=="NETWORK"&&(bt(),ke({status:"signedOut",reason:"expired"})),!1}}function vt(){return gt??=bs().finally(()=>{gt=null}),gt}function j(e){return He.status==="signedIn"&&He.me.permissions.includes(e)}async function xn(){try{je&&await h(fn)}catch{}finally{bt(),ke({status:"signedOut"})}}async function Dn(){if(await vt())try{let{me:e}=await h(ft);ke({status:"signedIn",me:e});return}catch{bt()}ke({status:"signedOut"})}Gt({token:()=>je,renew:vt});ae();ae();var vs=Symbol.for("pv"),ks=0;function n(e,t,s,r,a,i){t||(t={});var l,d,p=t;if("ref"in p&&typeof e!="function")for(d in p={},t)d=="ref"?l=t[d]:p[d]=t[d];var m={type:e,props:p,key:s,ref:l,__k:null,__:null,__b:0,__e:null,__c:null,constructor:vs,__v:--ks,__i:-1,__u:0};return(a||i)&&(m.__source=a,m.__self=i),S.vnode&&S.vnode(m),m}function Un(e){return e instanceof V?e.code==="NETWORK"?o.networkError:e.code==="TOO_MANY_REQUESTS"&&typeof e.extensions.retryAfter=="number"?o.tryAgainIn(e.extensions.retryAfter):e.code==="FORBIDDEN"?`${o.forbidden} ${e.message}`:e.message:String(e)}function U(){let[e,t]=v(!1),[s,r]=v(null),[a,i]=v({}),[l,d]=v(null),p=Qt(async m=>{t(!0),r(null),i({}),d(null);try{let u=await m();return u&&d(u),!0}catch(u){let g=u instanceof V?u.fields:{};return Object.keys(g).length>0?i(g):r(Un(u)),!1}finally{t(!1)}},[]);return{busy:e,error:s,fields:a,notice:l,run:p,setError:r}}function D({error:e,notice:t}){return e?n("p",{class:"alert error",role:"alert",children:e}):t?n("p",{class:"alert notice",role:"status",children:t}):null}function w(e){let t=Ne(),s=e.errors?.[e.name]??[],r=[e.help?`${t}-help`:"",s.length?`${t}-err`:""].filter(Boolean).join(" ")||void 0,a={id:t,name:e.name,value:e.value,required:e.required,disabled:e.disabled,placeholder:e.placeholder,"aria-invalid":s.length>0?!0:void 0,"aria-describedby":r,onInput:i=>e.onValue(i.currentTarget.value)};return n("div",{class:"field",children:[n("label",{for:t,children:e.label}),e.multiline?n("textarea",{rows:3,...a}):n("input",{...a,type:e.type??"text",autocomplete:e.autocomplete}),e.help&&n("small",{id:`${t}-help`,children:e.help}),s.length>0&&n("ul",{class:"field-errors",id:`${t}-err`,children:s.map(i=>n("li",{children:i},i))})]})}function de(e){let t=Ne();return n("div",{class:"field",children:[n("label",{for:t,children:e.label}),n("select",{id:t,name:e.name,value:e.value,onChange:s=>e.onValue(s.currentTarget.value),children:e.options.map(([s,r])=>n("option",{value:s,children:r},s))})]})}function X(e){let t=e.name&&e.errors?.[e.name]||[];return n("fieldset",{class:"choices",disabled:e.disabled,children:[n("legend",{children:e.legend}),e.choices.map(([s,r])=>n("label",{children:[n("input",{type:"checkbox",checked:e.chosen.includes(s),onChange:a=>e.onChosen(a.currentTarget.checked?[...e.chosen,s]:e.chosen.filter(i=>i!==s))}),r]},s)),t.length>0&&n("ul",{class:"field-errors",role:"alert",children:t.map(s=>n("li",{children:s},s))})]})}function ce(e){let t=F(null);return n(R,{children:[n("button",{type:"button",class:e.danger?"danger":void 0,disabled:e.disabled,onClick:()=>t.current?.showModal(),children:e.label}),n("dialog",{ref:t,"aria-label":e.label,children:n("form",{method:"dialog",children:[n("p",{children:e.question}),n("div",{class:"actions",children:[n("button",{value:"cancel",autofocus:!0,children:o.cancel}),n("button",{value:"confirm",class:e.danger?"danger":void 0,onClick:()=>{t.current?.close(),e.onConfirm()},children:o.confirm})]})]})})]})}function N(e){let t=Ne();return n("section",{"aria-labelledby":t,children:[n("h2",{id:t,children:e.title}),e.children]})}function B(e,t){let[s,r]=v(null),[a,i]=v(null),[l,d]=v(!0),[p,m]=v(0);return ne(()=>{let u=!0;return d(!0),e().then(g=>u&&(r(g),i(null))).catch(g=>u&&i(g)).finally(()=>u&&d(!1)),()=>{u=!1}},[t,p]),{data:s,error:a,loading:l,reload:()=>m(u=>u+1)}}function q({loaded:e}){if(e.error){let t=e.error instanceof V&&e.error.code==="FORBIDDEN";return n("p",{class:"alert error",role:"alert","data-code":t?"FORBIDDEN":void 0,children:Un(e.error)})}return e.loading&&!e.data?n("p",{role:"status",children:o.loading}):null}function I({children:e}){let t=F(null);return ne(()=>{document.title=`${e} \xB7 ${o.appName}`,t.current?.focus()},[e]),n("h1",{tabIndex:-1,ref:t,children:e})}function Ae(e){return n("button",{type:"button","aria-label":`${e.label}: ${e.of}`,disabled:e.disabled,onClick:e.onClick,children:e.label})}function pe(e,t){let[s,r]=v(e),a=F(t);return ne(()=>{a.current!==t&&(a.current=t,r(e))},[t]),[s,r]}var In=()=>PublicKeyCredential;async function Mn(e){try{let t=await e();return t?t.toJSON():null}catch(t){if(t instanceof DOMException&&t.name==="NotAllowedError")return null;throw t}}function Nn(e){let t=In().parseCreationOptionsFromJSON(e.publicKey);return Mn(()=>navigator.credentials.create({publicKey:t}))}function Ln(e){let t=In().parseRequestOptionsFromJSON(e.publicKey);return Mn(()=>navigator.credentials.get({publicKey:t}))}function On({expired:e}){let[t,s]=v(""),[r,a]=v(""),[i,l]=v(null),[d,p]=v(""),m=U(),u=c=>{c.preventDefault(),m.run(async()=>{try{let{login:f}=await re(un,{input:{usernameOrEmail:t,password:r}});await Qe(f)}catch(f){if(f instanceof V&&f.extensions.mfaRequired&&typeof f.extensions.mfaToken=="string"){l(f.extensions.mfaToken),a("");return}throw f}})},g=c=>{c.preventDefault(),i&&m.run(async()=>{let{completeLogin:f}=await re(dn,{mfaToken:i,code:d});await Qe(f)})},y=()=>{m.run(async()=>{let{beginPasskeyLogin:c}=await re(cn,{usernameOrEmail:t.trim()||null}),f=await Ln(c.options);if(!f)return o.passkeyCancelled;let{finishPasskeyLogin:A}=await re(pn,{challengeId:c.challengeId,credential:f});await Qe(A)})};return i?n("main",{id:"main",class:"signin",children:[n(I,{children:o.secondStepTitle}),n("p",{children:o.secondStepHelp}),n("form",{onSubmit:g,children:[n(w,{label:o.code,name:"code",value:d,onValue:p,errors:m.fields,autocomplete:"one-time-code",required:!0}),n(D,{error:m.error}),n("div",{class:"actions",children:[n("button",{type:"submit",class:"primary",disabled:m.busy,children:o.verify}),n("button",{type:"button",onClick:()=>(l(null),p("")),children:o.backToSignIn})]})]})]}):n("main",{id:"main",class:"signin",children:[n(I,{children:o.signInTitle}),e&&n("p",{class:"alert notice",role:"status",children:o.sessionExpired}),n("form",{onSubmit:u,children:[n(w,{label:o.usernameOrEmail,name:"usernameOrEmail",value:t,onValue:s,errors:m.fields,autocomplete:"username webauthn",required:!0}),n(w,{label:o.password,name:"password",type:"password",value:r,onValue:a,errors:m.fields,autocomplete:"current-password",required:!0}),n(D,{error:m.error,notice:m.notice}),n("div",{class:"actions",children:[n("button",{type:"submit",class:"primary",disabled:m.busy,children:o.signIn}),"PublicKeyCredential"in window&&n("button",{type:"button",onClick:y,disabled:m.busy,children:o.signInWithPasskey})]})]})]})}var Vn=20,kt={newest:["CREATED_AT","DESC",o.sortNewest],oldest:["CREATED_AT","ASC",o.sortOldest],email:["EMAIL","ASC",o.sortEmail],username:["USERNAME","ASC",o.sortUsername],name:["DISPLAY_NAME","ASC",o.sortName]};function As(e){let[t,s]=kt[e.sort??"newest"]??kt.newest,r={search:e.q||null,roleId:e.role||null,isActive:e.active==="true"?!0:e.active==="false"?!1:null};return{...e.before?{last:Vn,before:e.before}:{first:Vn,after:e.after||null},filter:r,sort:{field:t,direction:s}}}function $n(){let{query:e,path:t,route:s}=O(),[r,a]=v(e.q??""),i=As(e),l=B(()=>h(vn,i),JSON.stringify(i)),d=B(()=>h(Ke),"roles"),p=u=>{let g=new URLSearchParams,y={...e,after:void 0,before:void 0,...u};for(let[f,A]of Object.entries(y))A&&g.set(f,A);let c=g.toString();s(c?`${t}?${c}`:t)},m=l.data?.users;return n(R,{children:[n(I,{children:o.usersTitle}),j("USER_WRITE")&&n("p",{children:n("a",{class:"button primary",href:"/admin/users/new",children:o.newUser})}),n("form",{class:"filters",role:"search",onSubmit:u=>{u.preventDefault(),p({q:r.trim()||void 0})},children:[n(w,{label:o.search,name:"search",type:"search",value:r,onValue:a,placeholder:o.searchPlaceholder}),n("button",{type:"submit",children:o.search}),n(de,{label:o.role,value:e.role??"",onValue:u=>p({role:u}),options:[["",o.any],...(d.data?.roles??[]).map(u=>[u.id,u.name])]}),n(de,{label:o.status,value:e.active??"",onValue:u=>p({active:u}),options:[["",o.any],["true",o.active],["false",o.inactive]]}),n(de,{label:o.sortBy,value:e.sort??"newest",onValue:u=>p({sort:u}),options:Object.entries(kt).map(([u,[,,g]])=>[u,g])})]}),n(q,{loaded:l}),m&&n(R,{children:[n("p",{role:"status",class:"count",children:o.usersCount(m.totalCount)}),n("table",{children:[n("thead",{children:n("tr",{children:[n("th",{scope:"col",children:o.email}),n("th",{scope:"col",children:o.username}),n("th",{scope:"col",children:o.displayName}),n("th",{scope:"col",children:o.roles}),n("th",{scope:"col",children:o.status}),n("th",{scope:"col",children:o.lastLogin})]})}),n("tbody",{children:m.nodes.map(u=>n("tr",{children:[n("td",{children:n("a",{href:`/admin/users/${u.id}`,children:u.email??u.id})}),n("td",{children:u.username}),n("td",{children:u.displayName}),n("td",{children:u.roles.map(g=>g.name).join(", ")}),n("td",{children:u.isActive?o.active:o.inactive}),n("td",{children:L(u.lastLoginAt)})]},u.id))})]}),n("div",{class:"pager",children:[n("button",{type:"button",disabled:!m.pageInfo.hasPreviousPage,onClick:()=>p({...e,before:m.pageInfo.startCursor??void 0,after:void 0}),children:o.previous}),n("button",{type:"button",disabled:!m.pageInfo.hasNextPage,onClick:()=>p({...e,after:m.pageInfo.endCursor??void 0,before:void 0}),children:o.next})]})]})]})}var At=["email","username","displayName","firstName","lastName","phoneNumber","address","avatarUrl","locale"],Rs={email:"off",firstName:"off",lastName:"off",phoneNumber:"off",address:"off"};function We(e){let t=Object.fromEntries(At.map(l=>[l,e.user[l]??""])),[s,r]=pe(t,e.user.updatedAt),a=U(),i=l=>{l.preventDefault();let d={};for(let p of At)s[p]!==t[p]&&(d[p]=s[p].trim()===""?null:s[p].trim());a.run(async()=>{if(Object.keys(d).length>0){let{updateUser:p}=await h(ve,{id:e.user.id,input:d});e.onSaved(p)}return o.saved})};return n(N,{title:o.profile,children:n("form",{onSubmit:i,children:[n("p",{class:"hint",children:o.clearHint}),n("div",{class:"grid",children:At.map(l=>n(w,{label:o[l],name:l,type:l==="email"?"email":l==="avatarUrl"?"url":"text",value:s[l],onValue:d=>r({...s,[l]:d}),errors:a.fields,disabled:!e.editable||e.readOnly?.includes(l),autocomplete:Rs[l],multiline:l==="address",help:l==="locale"?o.localeHelp:void 0},l))}),n(D,{error:a.error,notice:a.notice}),e.editable&&n("button",{type:"submit",class:"primary",disabled:a.busy,children:o.save})]})})}function Ge(e){return e.sessions.length===0?n("p",{children:o.noSessions}):n("table",{children:[n("thead",{children:n("tr",{children:[n("th",{scope:"col",children:o.device}),n("th",{scope:"col",children:o.ipAddress}),n("th",{scope:"col",children:o.created}),n("th",{scope:"col",children:o.lastUsed}),n("th",{scope:"col",children:o.expires}),e.onRevoke&&n("th",{scope:"col",children:n("span",{class:"sr-only",children:o.revoke})})]})}),n("tbody",{children:e.sessions.map(t=>n("tr",{children:[n("td",{children:[t.userAgent??"\u2014",t.current&&n("strong",{children:[" (",o.thisSession,")"]})]}),n("td",{children:t.ipAddress??"\u2014"}),n("td",{children:L(t.createdAt)}),n("td",{children:L(t.lastUsedAt)}),n("td",{children:L(t.expiresAt)}),e.onRevoke&&n("td",{children:n(Ae,{label:o.revoke,of:t.userAgent??t.id,disabled:e.busy,onClick:()=>e.onRevoke?.(t.id)})})]},t.id))})]})}function Fn(){let{params:e}=be(),t=e.id??"",s=B(()=>h(kn,{id:t}),t),r=s.data?.user;return s.data&&!r?n(R,{children:[n(I,{children:o.usersTitle}),n("p",{class:"alert error",role:"alert",children:o.notFound})]}):n(R,{children:[n(I,{children:r?r.displayName||r.email||r.username||r.id:o.usersTitle}),n(q,{loaded:s}),r&&s.data&&n(Ss,{user:r,roles:s.data.roles,reload:s.reload})]})}function Ss({user:e,roles:t,reload:s}){let{route:r}=O(),a=j("USER_WRITE"),[i,l]=pe(e.roles.map(_=>_.id),e.updatedAt),[d,p]=v(""),m=U(),u=U(),g=U(),y=U(),c=U(),f=U(),A=e.email??e.username??e.id;return n(R,{children:[n("p",{class:"meta",children:[o.created,": ",L(e.createdAt)," \xB7 ",o.lastLogin,": ",L(e.lastLoginAt)," \xB7 ",o.emailVerified,": ",e.emailVerified?o.yes:o.no]}),n(We,{user:e,editable:a,onSaved:s}),n(N,{title:o.status,children:[n("p",{children:e.isActive?o.accountActive:o.accountInactive}),n(D,{error:m.error,notice:m.notice}),a&&n("button",{type:"button",disabled:m.busy,onClick:()=>{m.run(async()=>{await h(ve,{id:e.id,input:{isActive:!e.isActive}}),s()})},children:e.isActive?o.deactivate:o.activate})]}),n(N,{title:o.roles,children:n("form",{onSubmit:_=>{_.preventDefault(),u.run(async()=>(await h(ve,{id:e.id,input:{roleIds:i}}),s(),o.saved))},children:[n(X,{legend:o.roles,name:"roleIds",choices:t.map(_=>[_.id,_.name]),chosen:i,onChosen:l,disabled:!a,errors:u.fields}),n(D,{error:u.error,notice:u.notice}),a&&n("button",{type:"submit",disabled:u.busy,children:o.saveRoles})]})}),a&&n(N,{title:o.setPassword,children:n("form",{onSubmit:_=>{_.preventDefault(),g.run(async()=>(await h(Rn,{id:e.id,password:d}),p(""),s(),o.passwordSet))},children:[n(w,{label:o.newPassword,name:"password",type:"password",value:d,onValue:p,errors:g.fields,autocomplete:"new-password",required:!0}),n(D,{error:g.error,notice:g.notice}),n("button",{type:"submit",disabled:g.busy,children:o.setPassword})]})}),n(N,{title:o.sessions,children:[n(D,{error:y.error,notice:y.notice}),n(Ge,{sessions:e.sessions??[],busy:y.busy,onRevoke:a?_=>{y.run(async()=>{let{revokeSession:E}=await h(Be,{id:_});return s(),o.sessionsEnded(E?1:0)})}:void 0}),a&&(e.sessions?.length??0)>0&&n(ce,{label:o.revokeAll,question:`${o.revokeAll}: ${A}?`,onConfirm:()=>{y.run(async()=>{let{revokeUserSessions:_}=await h(wn,{userId:e.id});return s(),o.sessionsEnded(_)})}})]}),n(N,{title:o.mfa,children:[n("p",{children:e.mfaMethods?.length?e.mfaMethods.join(", "):o.mfaNone}),n(D,{error:c.error,notice:c.notice}),a&&n(ce,{label:o.mfaReset,question:o.confirmMfaReset,danger:!0,onConfirm:()=>{c.run(async()=>(await h(En,{userId:e.id}),s(),o.mfaResetDone))}})]}),a&&n(N,{title:o.deleteUser,children:[n(D,{error:f.error}),n(ce,{label:o.deleteUser,question:o.confirmDeleteUser(A),danger:!0,disabled:f.busy,onConfirm:()=>{f.run(async()=>{await h(Sn,{id:e.id}),r("/admin/users")})}})]})]})}function Kn(){let{route:e}=O(),t=B(()=>h(Ke),"roles"),[s,r]=v({email:"",password:"",username:"",displayName:""}),[a,i]=v([]),l=U(),d=(p,m,u="text",g)=>n(w,{label:m,name:p,type:u,value:s[p],onValue:y=>r({...s,[p]:y}),errors:l.fields,autocomplete:g,required:p==="email"});return n(R,{children:[n(I,{children:o.createUserTitle}),n("form",{onSubmit:p=>{p.preventDefault(),l.run(async()=>{let m=g=>g.trim()||null,{createUser:u}=await h(An,{input:{email:s.email.trim(),password:s.password||null,username:m(s.username),displayName:m(s.displayName),roleIds:a}});e(`/admin/users/${u.id}`)})},children:[d("email",o.email,"email","off"),d("password",o.passwordOptional,"password","new-password"),d("username",o.username,"text","off"),d("displayName",o.displayName),n(q,{loaded:t}),n(X,{legend:o.roles,name:"roleIds",choices:(t.data?.roles??[]).map(p=>[p.id,p.name]),chosen:a,onChosen:i,errors:l.fields}),n(D,{error:l.error}),n("button",{type:"submit",class:"primary",disabled:l.busy,children:o.create})]})]})}var Bn=["USER_READ","USER_WRITE","ROLE_READ","ROLE_WRITE","AUDIT_READ"],Rt=(e=Bn)=>Bn.filter(t=>e.includes(t)).map(t=>[t,o.permissionNames[t]??t]);function Hn(){let e=B(()=>h(gn),"roles");return n(R,{children:[n(I,{children:o.rolesTitle}),j("ROLE_WRITE")&&n("p",{children:n("a",{class:"button primary",href:"/admin/roles/new",children:o.newRole})}),n(q,{loaded:e}),e.data&&n("table",{children:[n("thead",{children:n("tr",{children:[n("th",{scope:"col",children:o.name}),n("th",{scope:"col",children:o.roleCode}),n("th",{scope:"col",children:o.description}),n("th",{scope:"col",children:o.permissions}),n("th",{scope:"col",children:o.members})]})}),n("tbody",{children:e.data.roles.map(t=>n("tr",{children:[n("td",{children:[n("a",{href:`/admin/roles/${t.id}`,children:t.name}),t.isSystem&&n("span",{class:"tag",children:[" ",o.system]})]}),n("td",{children:t.code??""}),n("td",{children:t.description??""}),n("td",{children:[...t.permissions,...t.appPermissions].join(", ")}),n("td",{children:t.userCount??""})]},t.id))})]})]})}var ws=e=>({name:e?.name??"",code:e?.code?.toString()??"",description:e?.description??"",permissions:e?.permissions??[],appPermissions:e?.appPermissions.join(`
`)??""});function jn(e){let t=e.code.trim();return{name:e.name.trim(),code:t===""?null:Number(t),description:e.description.trim()||null,permissions:e.permissions,appPermissions:e.appPermissions.split(`
`).map(s=>s.trim()).filter(Boolean)}}function qn(e){let[t,s]=pe(ws(e.role),e.role?.updatedAt??""),r=U(),a=i=>l=>s({...t,[i]:l});return n("form",{onSubmit:i=>{i.preventDefault(),r.run(()=>e.onSubmit(t))},children:[n(w,{label:o.name,name:"name",value:t.name,onValue:a("name"),errors:r.fields,disabled:!e.editable,required:!0}),n(w,{label:o.roleCode,name:"code",type:"number",value:t.code,onValue:a("code"),errors:r.fields,disabled:!e.editable}),n(w,{label:o.description,name:"description",value:t.description,onValue:a("description"),errors:r.fields,disabled:!e.editable,multiline:!0}),n(X,{legend:o.permissions,name:"permissions",choices:Rt(),chosen:t.permissions,onChosen:i=>s({...t,permissions:i}),disabled:!e.editable,errors:r.fields}),n(w,{label:o.appPermissions,name:"appPermissions",value:t.appPermissions,onValue:a("appPermissions"),errors:r.fields,disabled:!e.editable,help:o.appPermissionsHelp,multiline:!0}),n(D,{error:r.error,notice:r.notice}),e.editable&&n("button",{type:"submit",class:"primary",disabled:r.busy,children:e.submit})]})}function Qn(){let{params:e}=be(),{route:t}=O(),s=e.id??"",r=B(()=>h(yn,{id:s}),s),a=U(),i=r.data?.role,l=j("ROLE_WRITE");return r.data&&!i?n(R,{children:[n(I,{children:o.rolesTitle}),n("p",{class:"alert error",role:"alert",children:o.notFound})]}):n(R,{children:[n(I,{children:i?.name??o.rolesTitle}),n(q,{loaded:r}),i&&n(R,{children:[i.createdBy&&n("p",{class:"meta",children:[o.createdBy,": ",i.createdBy.displayName??i.createdBy.email??i.createdBy.id]}),n(qn,{role:i,editable:l,submit:o.save,onSubmit:async d=>(await h(hn,{id:i.id,input:jn(d)}),r.reload(),o.saved)}),n(N,{title:o.members,children:i.users&&i.users.totalCount>0?n(R,{children:[n("p",{children:o.memberCount(i.users.totalCount)}),n("ul",{children:i.users.nodes.map(d=>n("li",{children:n("a",{href:`/admin/users/${d.id}`,children:d.displayName??d.email??d.username??d.id})},d.id))})]}):n("p",{children:i.users?o.noMembers:""})}),l&&!i.isSystem&&n(N,{title:o.deleteRole,children:[n(D,{error:a.error}),n(ce,{label:o.deleteRole,question:o.confirmDeleteRole(i.name),danger:!0,disabled:a.busy,onConfirm:()=>{a.run(async()=>{await h(bn,{id:i.id}),t("/admin/roles")})}})]})]})]})}function Wn(){let{route:e}=O();return n(R,{children:[n(I,{children:o.createRoleTitle}),n(qn,{editable:!0,submit:o.create,onSubmit:async t=>{let{createRole:s}=await h(_n,{input:jn(t)});e(`/admin/roles/${s.id}`)}})]})}function Gn(){let e=B(()=>h(Jt),"me"),t=e.data?.me;return n(R,{children:[n(I,{children:o.accountTitle}),n(q,{loaded:e}),t&&n(R,{children:[n(We,{user:t,editable:!0,readOnly:["email"],onSaved:e.reload}),n(Es,{}),n(Ts,{me:t,reload:e.reload}),n(xs,{me:t,reload:e.reload}),n(Ds,{me:t,reload:e.reload}),n(Cs,{me:t,reload:e.reload})]})]})}function Es(){let[e,t]=v(""),[s,r]=v(""),a=U();return n(N,{title:o.changePassword,children:n("form",{onSubmit:i=>{i.preventDefault(),a.run(async()=>(await h(Yt,{currentPassword:e,newPassword:s}),t(""),r(""),o.passwordChanged))},children:[n(w,{label:o.currentPassword,name:"currentPassword",type:"password",value:e,onValue:t,errors:a.fields,autocomplete:"current-password",required:!0}),n(w,{label:o.newPassword,name:"newPassword",type:"password",value:s,onValue:r,errors:a.fields,autocomplete:"new-password",required:!0}),n(D,{error:a.error,notice:a.notice}),n("button",{type:"submit",disabled:a.busy,children:o.changePassword})]})})}function Ts({me:e,reload:t}){let s=U(),r=e.sessions??[];return n(N,{title:o.sessions,children:[n(D,{error:s.error,notice:s.notice}),n(Ge,{sessions:r,busy:s.busy,onRevoke:a=>{s.run(async()=>{let{revokeSession:i}=await h(Be,{id:a});return t(),o.sessionsEnded(i?1:0)})}}),r.length>1&&n("button",{type:"button",disabled:s.busy,onClick:()=>{s.run(async()=>{let{revokeOtherSessions:a}=await h(zt);return t(),o.sessionsEnded(a)})},children:o.revokeOthers})]})}function Ps({codes:e}){return n("div",{class:"secret",role:"status",children:[n("h3",{children:o.recoveryCodes}),n("p",{children:o.recoveryCodesHelp}),n("ul",{class:"codes",children:e.map(t=>n("li",{children:n("code",{children:t})},t))})]})}function xs({me:e,reload:t}){let s=e.mfaMethods?.includes("TOTP")??!1,[r,a]=v(null),[i,l]=v(""),[d,p]=v(""),[m,u]=v(null),g=U(),y=(c,f)=>{c.preventDefault(),g.run(async()=>{await f(),p(""),t()})};return n(N,{title:o.totp,children:[n("p",{children:s?o.totpOn:o.totpOff}),m&&n(Ps,{codes:m}),n(D,{error:g.error,notice:g.notice}),!s&&!r&&n("button",{type:"button",disabled:g.busy,onClick:()=>{g.run(async()=>a((await h(Zt)).beginTotpEnrollment))},children:o.totpBegin}),!s&&r&&n("form",{onSubmit:c=>{c.preventDefault(),g.run(async()=>{let{confirmTotpEnrollment:f}=await h(Xt,{code:i});u(f),a(null),l(""),t()})},children:[n("p",{children:o.totpScan}),n("img",{class:"qr",alt:o.totpQr,src:`data:image/svg+xml;charset=utf-8,${encodeURIComponent(r.qrSvg)}`}),n("p",{children:[o.totpKey,": ",n("code",{children:r.secret})]}),n(w,{label:o.code,name:"code",value:i,onValue:l,errors:g.fields,autocomplete:"one-time-code",required:!0}),n("button",{type:"submit",class:"primary",disabled:g.busy,children:o.totpConfirm})]}),s&&n("form",{onSubmit:c=>c.preventDefault(),children:[n(w,{label:o.currentPassword,name:"currentPassword",type:"password",value:d,onValue:p,errors:g.fields,autocomplete:"current-password",required:!0}),n("div",{class:"actions",children:[n("button",{type:"submit",disabled:g.busy,onClick:c=>y(c,async()=>u((await h(tn,{currentPassword:d})).regenerateRecoveryCodes)),children:o.recoveryCodesRegenerate}),n("button",{type:"submit",class:"danger",disabled:g.busy,onClick:c=>y(c,async()=>{await h(en,{currentPassword:d}),u(null)}),children:o.totpDisable})]})]})]})}function Ds({me:e,reload:t}){let[s,r]=v(""),a=U(),i=e.passkeys??[];return n(N,{title:o.passkeys,children:[i.length===0?n("p",{children:o.noPasskeys}):n("table",{children:[n("thead",{children:n("tr",{children:[n("th",{scope:"col",children:o.name}),n("th",{scope:"col",children:o.created}),n("th",{scope:"col",children:o.lastUsed}),n("th",{scope:"col",children:n("span",{class:"sr-only",children:o.remove})})]})}),n("tbody",{children:i.map(l=>n("tr",{children:[n("td",{children:l.name}),n("td",{children:L(l.createdAt)}),n("td",{children:L(l.lastUsedAt)}),n("td",{children:n(Ae,{label:o.remove,of:l.name,disabled:a.busy,onClick:()=>{a.run(async()=>(await h(rn,{id:l.id}),t()))}})})]},l.id))})]}),n("form",{onSubmit:l=>{l.preventDefault(),a.run(async()=>{let{beginPasskeyRegistration:d}=await h(nn),p=await Nn(d.options);return p?(await h(sn,{challengeId:d.challengeId,name:s,credential:p}),r(""),t(),o.passkeyAdded):o.passkeyCancelled})},children:[n(w,{label:o.passkeyName,name:"name",value:s,onValue:r,errors:a.fields,required:!0}),n(D,{error:a.error,notice:a.notice}),n("button",{type:"submit",disabled:a.busy,children:o.addPasskey})]})]})}function Cs({me:e,reload:t}){let[s,r]=v(""),[a,i]=v([]),[l,d]=v([]),[p,m]=v(""),[u,g]=v(null),y=U(),c=e.apiKeys??[];return n(N,{title:o.apiKeys,children:[u&&n("div",{class:"secret",role:"status",children:[n("p",{children:o.keySecret}),n("code",{children:u})]}),n(D,{error:y.error,notice:y.notice}),c.length===0?n("p",{children:o.noApiKeys}):n("table",{children:[n("thead",{children:n("tr",{children:[n("th",{scope:"col",children:o.name}),n("th",{scope:"col",children:o.prefix}),n("th",{scope:"col",children:o.permissions}),n("th",{scope:"col",children:o.expires}),n("th",{scope:"col",children:o.lastUsed}),n("th",{scope:"col",children:n("span",{class:"sr-only",children:o.revoke})})]})}),n("tbody",{children:c.map(f=>n("tr",{children:[n("td",{children:f.name}),n("td",{children:n("code",{children:f.prefix})}),n("td",{children:[...f.permissions,...f.appPermissions].join(", ")||o.none}),n("td",{children:L(f.expiresAt)}),n("td",{children:L(f.lastUsedAt)}),n("td",{children:n(Ae,{label:o.revoke,of:f.name,disabled:y.busy,onClick:()=>{y.run(async()=>(await h(an,{id:f.id}),t()))}})})]},f.id))})]}),n("form",{onSubmit:f=>{f.preventDefault(),y.run(async()=>{let{createApiKey:A}=await h(on,{input:{name:s.trim(),permissions:a,appPermissions:l,expiresAt:p?new Date(p).toISOString():null}});g(A.secret),r(""),i([]),d([]),m(""),t()})},children:[n(w,{label:o.keyName,name:"name",value:s,onValue:r,errors:y.fields,required:!0}),e.permissions.length>0&&n(X,{legend:o.permissions,name:"permissions",choices:Rt(e.permissions),chosen:a,onChosen:i,errors:y.fields}),e.appPermissions.length>0&&n(X,{legend:o.appPermissions,name:"appPermissions",choices:e.appPermissions.map(f=>[f,f]),chosen:l,onChosen:d,errors:y.fields}),n(w,{label:o.expiresAt,name:"expiresAt",type:"datetime-local",value:p,onValue:m,errors:y.fields}),n("button",{type:"submit",disabled:y.busy,children:o.createKey})]})]})}var Jn=25,Us=["USER_REGISTERED","LOGIN_SUCCEEDED","LOGIN_FAILED","ACCOUNT_LOCKED","LOGOUT","SESSION_REVOKED","REFRESH_TOKEN_REUSED","PASSWORD_CHANGED","PASSWORD_SET","PASSWORD_RESET_REQUESTED","PASSWORD_RESET","EMAIL_VERIFIED","EMAIL_CHANGED","USER_CREATED","USER_UPDATED","USER_DELETED","ROLE_CREATED","ROLE_UPDATED","ROLE_DELETED","MFA_ENABLED","MFA_DISABLED","PASSKEY_ADDED","PASSKEY_REMOVED","RECOVERY_CODES_REGENERATED","API_KEY_CREATED","API_KEY_REVOKED","SIGNING_KEY_ROTATED"];var Yn=e=>e?new Date(e).toISOString():null;function Is(e){let t={actions:e.action?[e.action]:null,actorId:e.actor||null,subjectUserId:e.subject||null,since:Yn(e.since),until:Yn(e.until)};return{...e.before?{last:Jn,before:e.before}:{first:Jn,after:e.after||null},filter:t}}function zn(){let{query:e,path:t,route:s}=O(),[r,a]=v({actor:e.actor??"",subject:e.subject??"",since:e.since??"",until:e.until??""}),i=Is(e),l=B(()=>h(ln,i),JSON.stringify(i)),d=u=>{let g=new URLSearchParams;for(let[c,f]of Object.entries({...e,after:void 0,before:void 0,...u}))f&&g.set(c,f);let y=g.toString();s(y?`${t}?${y}`:t)},p=u=>g=>a({...r,[u]:g}),m=l.data?.auditEvents;return n(R,{children:[n(I,{children:o.auditTitle}),n("form",{class:"filters",role:"search",onSubmit:u=>{u.preventDefault(),d({actor:r.actor.trim(),subject:r.subject.trim(),since:r.since,until:r.until})},children:[n(de,{label:o.action,value:e.action??"",onValue:u=>d({action:u}),options:[["",o.any],...Us.map(u=>[u,u])]}),n(w,{label:o.actorId,name:"actorId",value:r.actor,onValue:p("actor")}),n(w,{label:o.subjectUserId,name:"subjectUserId",value:r.subject,onValue:p("subject")}),n(w,{label:o.since,name:"since",type:"datetime-local",value:r.since,onValue:p("since")}),n(w,{label:o.until,name:"until",type:"datetime-local",value:r.until,onValue:p("until")}),n("button",{type:"submit",children:o.filter})]}),n(q,{loaded:l}),m&&n(R,{children:[n("p",{role:"status",class:"count",children:o.eventsCount(m.totalCount)}),m.nodes.length===0?n("p",{children:o.noEvents}):n("table",{class:"audit",children:[n("thead",{children:n("tr",{children:[n("th",{scope:"col",children:o.at}),n("th",{scope:"col",children:o.action}),n("th",{scope:"col",children:o.actor}),n("th",{scope:"col",children:o.subject}),n("th",{scope:"col",children:o.ipAddress}),n("th",{scope:"col",children:o.details})]})}),n("tbody",{children:m.nodes.map(u=>n("tr",{children:[n("td",{children:L(u.at)}),n("td",{children:n("code",{children:u.action})}),n("td",{children:u.actor?n("a",{href:`/admin/users/${u.actor.id}`,children:u.actor.email??u.actor.displayName??u.actor.id}):u.actorId??o.anonymousActor}),n("td",{children:[u.subjectUserId&&n("a",{href:`/admin/users/${u.subjectUserId}`,children:u.subjectUserId}),u.subjectRoleId&&n("a",{href:`/admin/roles/${u.subjectRoleId}`,children:u.subjectRoleId})]}),n("td",{children:u.ipAddress??""}),n("td",{children:n("code",{class:"details",children:JSON.stringify(u.details)})})]},u.id))})]}),n("div",{class:"pager",children:[n("button",{type:"button",disabled:!m.pageInfo.hasPreviousPage,onClick:()=>d({before:m.pageInfo.startCursor??void 0}),children:o.previous}),n("button",{type:"button",disabled:!m.pageInfo.hasNextPage,onClick:()=>d({after:m.pageInfo.endCursor??void 0}),children:o.next})]})]})]})}function Ms(){let[e,t]=v(qe());return ne(()=>{let s=Tn(()=>t(qe()));return t(qe()),s},[]),e}function Ns({me:e}){let{path:t}=O(),s=[["/admin/users",o.navUsers,j("USER_READ")],["/admin/roles",o.navRoles,j("ROLE_READ")],["/admin/audit",o.navAudit,j("AUDIT_READ")],["/admin/account",o.navAccount,!0]];return n("header",{class:"top",children:[n("a",{class:"brand",href:"/admin",children:o.appName}),n("nav",{"aria-label":o.nav,children:n("ul",{children:s.filter(([,,r])=>r).map(([r,a])=>n("li",{children:n("a",{href:r,"aria-current":t.startsWith(r)?"page":void 0,children:a})},r))})}),n("span",{class:"who",children:o.signedInAs(e.email??e.username??e.id)}),n("button",{type:"button",onClick:()=>{xn()},children:o.signOut})]})}function Zn(){let{route:e}=O();return ne(()=>e(j("USER_READ")?"/admin/users":"/admin/account",!0),[]),null}function Ls(){return n(R,{children:[n(I,{children:o.notFound}),n("p",{children:n("a",{href:"/admin",children:o.appName})})]})}function Os(){let e=Ms();return e.status==="loading"?n("p",{role:"status",children:o.loading}):e.status==="signedOut"?n(On,{expired:e.reason==="expired"}):n(R,{children:[n("a",{class:"skip",href:"#main",children:o.skipToContent}),n(Ns,{me:e.me}),n("main",{id:"main",children:n(Ve,{children:[n(K,{path:"/admin",component:Zn}),n(K,{path:"/admin/",component:Zn}),n(K,{path:"/admin/users",component:$n}),n(K,{path:"/admin/users/new",component:Kn}),n(K,{path:"/admin/users/:id",component:Fn}),n(K,{path:"/admin/roles",component:Hn}),n(K,{path:"/admin/roles/new",component:Wn}),n(K,{path:"/admin/roles/:id",component:Qn}),n(K,{path:"/admin/account",component:Gn}),n(K,{path:"/admin/audit",component:zn}),n(K,{default:!0,component:Ls})]})})]})}document.documentElement.lang=$e;var Xn=document.getElementById("app");Xn&&Nt(n(se,{scope:"/admin",children:n(Os,{})}),Xn);Dn();
